"""What every provider generator shares: options (keys and URLs from settings, overridable in the generators
YAML), availability, per-run prices, the HTTP client, and storing downloaded outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field

from app.generators.base import Artifact, Generator, GeneratorContext, GeneratorResult, PermanentError
from app.generators.providers._http import download, extension_for
from app.generators.providers._polling import JobState, Pacing, RemoteJob, RunCancelled, follow

WEBHOOK_PATH = "/api/v1/webhooks/{provider}"


@dataclass(frozen=True)
class ProviderConfig:
    """Provider settings as the registry hands them to generators (built from app.settings.Settings)."""

    keys: dict[str, str | None] = field(default_factory=dict)
    base_urls: dict[str, str] = field(default_factory=dict)
    public_base_url: str | None = None
    poll_initial_seconds: float = 1.0
    poll_max_seconds: float = 10.0
    webhook_poll_seconds: float = 60.0
    max_download_bytes: int = 500 * 1024 * 1024
    download_timeout_seconds: float = 300.0

    def options_for(self, provider: str, *, webhooks: bool) -> dict[str, Any]:
        public = self.public_base_url.rstrip("/") if self.public_base_url else None
        return {
            "api_key": self.keys.get(provider),
            "base_url": self.base_urls.get(provider),
            "webhook_url": public + WEBHOOK_PATH.format(provider=provider) if public and webhooks else None,
            "poll_initial_seconds": self.poll_initial_seconds,
            "poll_max_seconds": self.poll_max_seconds,
            "webhook_poll_seconds": self.webhook_poll_seconds,
            "max_download_bytes": self.max_download_bytes,
            "download_timeout_seconds": self.download_timeout_seconds,
        }


class ProviderOptions(BaseModel):
    """A provider generator's options: settings first, then the generators YAML's `options` on top."""

    model_config = ConfigDict(extra="ignore")

    api_key: str | None = None
    base_url: str | None = None
    webhook_url: str | None = None
    model: str | None = Field(default=None, description="Override the provider model id")
    price: Decimal | None = Field(default=None, ge=0, description="Credits per output unit (image, video)")
    poll_initial_seconds: float = Field(default=1.0, gt=0)
    poll_max_seconds: float = Field(default=10.0, gt=0)
    webhook_poll_seconds: float = Field(default=60.0, gt=0)
    max_download_bytes: int = Field(default=500 * 1024 * 1024, gt=0)
    download_timeout_seconds: float = Field(default=300.0, gt=0)
    request_timeout_seconds: float = Field(default=60.0, gt=0)
    prefer_wait_seconds: int | None = Field(default=None, ge=1, le=60, description="Replicate `Prefer: wait`")


class ProviderGenerator(Generator):
    """Base of the Replicate, fal and OpenAI generators."""

    provider: ClassVar[str]
    key_setting: ClassVar[str]  # the env var that enables it, for the "not registered" message
    model: ClassVar[str]
    price: ClassVar[Decimal] = Decimal(0)  # default credits per output unit; `price` option overrides
    supports_webhooks: ClassVar[bool] = False

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.settings = ProviderOptions.model_validate(self.options)

    @property
    def model_id(self) -> str:
        return self.settings.model or self.model

    def unavailable_reason(self) -> str | None:
        return None if self.settings.api_key else f"{self.key_setting} is not set"

    def units(self, inputs: Any) -> int:
        """How many priced outputs a run makes (images per run, one video)."""
        return int(getattr(inputs, "num_outputs", 1) or 1)

    def estimate_cost(self, inputs: BaseModel) -> Decimal:
        price = self.settings.price if self.settings.price is not None else self.price
        return price * self.units(inputs)

    def pacing(self) -> Pacing:
        s = self.settings
        webhook_s = s.webhook_poll_seconds if s.webhook_url and self.supports_webhooks else None
        return Pacing(
            initial_s=s.poll_initial_seconds, max_s=s.poll_max_seconds, webhook_s=webhook_s,
            deadline_s=max(self.timeout_seconds - 15, 5),
        )  # fmt: skip

    def client(self, headers: dict[str, str], default_base_url: str) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.settings.request_timeout_seconds, connect=10.0)
        base_url = self.settings.base_url or default_base_url
        return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=timeout)

    async def generate(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        try:
            return await self.run(inputs, context)
        except RunCancelled:
            return GeneratorResult(outputs=[])  # the runner sees the cancellation and records nothing

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        raise NotImplementedError

    async def run_remote(
        self, context: GeneratorContext, job: StartableJob, body: dict[str, Any]
    ) -> JobState:
        """Resume the job an earlier attempt started (no second bill after a retry) or start one, then
        follow it to its end. A provider-side failure is permanent, with the provider's reason."""
        previous = context.previous_external_job_id()
        state = await job.resume(previous) if previous else None
        if state is None:
            state = await job.start(body)
            await context.set_external_job_id(job.id)
        if not state.done:
            state = await follow(job, context, self.pacing())
        if state.status == "failed":
            raise PermanentError(f"{self.provider}: {state.error or 'the job failed without a reason'}")
        if state.status == "canceled":
            raise PermanentError(f"{self.provider}: the job was cancelled at the provider")
        return state

    async def store_urls(
        self, context: GeneratorContext, urls: list[str], metadata: dict[str, Any]
    ) -> list[Artifact]:
        """Download each output (size and time capped) and store it; never fetch with the API key."""
        await context.progress(0.88, phase="finalizing", message=f"storing {len(urls)} output(s)")
        artifacts = []
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as http:
            for url in urls:
                data, content_type = await download(
                    http, url, max_bytes=self.settings.max_download_bytes,
                    timeout_s=self.settings.download_timeout_seconds,
                )  # fmt: skip
                artifacts.append(await self.store_bytes(context, data, content_type, metadata, url))
        return artifacts

    async def store_bytes(
        self,
        context: GeneratorContext,
        data: bytes,
        content_type: str,
        metadata: dict[str, Any],
        url: str = "",
    ) -> Artifact:
        return await context.store(
            data, content_type=content_type, extension=extension_for(content_type, url),
            metadata={**metadata, "bytes": len(data)},
        )  # fmt: skip


class StartableJob(RemoteJob, Protocol):
    async def start(self, body: dict[str, Any]) -> JobState: ...

    async def resume(self, job_id: str) -> JobState | None:
        """The state of a job an earlier attempt started; None when it was cancelled (start afresh)."""
        ...


def output_urls(output: Any) -> list[str]:
    """Every URL in a provider's output, in order (a string, a list, or objects with `url`)."""
    if isinstance(output, str):
        return [output] if output.startswith(("http://", "https://", "data:")) else []
    if isinstance(output, list):
        return [url for item in output for url in output_urls(item)]
    if isinstance(output, dict):
        if isinstance(output.get("url"), str):
            return output_urls(output["url"])
        return [url for value in output.values() for url in output_urls(value)]
    return []
