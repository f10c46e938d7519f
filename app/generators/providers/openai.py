"""OpenAI: POST /v1/images/generations (gpt-image-1, dall-e-3), a synchronous call answering with base64
images (or URLs). There is no job to cancel: cancelling drops the connection, checked every CHECK_S."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from decimal import Decimal
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from app.generators.base import GeneratorContext, GeneratorResult, PermanentError
from app.generators.providers._base import ProviderGenerator
from app.generators.providers._http import download, request, send
from app.generators.providers._polling import CHECK_S, JobState, Status

PROVIDER = "openai"
BASE_URL = "https://api.openai.com"
TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


async def _until_done(call: asyncio.Task[httpx.Response], context: GeneratorContext) -> httpx.Response | None:
    """The call's response, or None once the generation is cancelled (the request is abandoned)."""
    try:
        while True:
            done, _ = await asyncio.wait({call}, timeout=CHECK_S)
            if done:
                return call.result()
            if await context.cancelled():
                call.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await call
                return None
    except asyncio.CancelledError:
        call.cancel()
        raise


class OpenAIImageGenerator(ProviderGenerator):
    provider = PROVIDER
    key_setting = "ATELIER_OPENAI_API_KEY"
    output_format = "png"

    def body(self, inputs: Any) -> dict[str, Any]:
        return {"model": self.model_id, **inputs.model_dump(exclude_none=True)}

    def units(self, inputs: Any) -> int:
        return int(getattr(inputs, "n", 1) or 1)

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        await context.progress(0.1, phase="processing", message="waiting for OpenAI")
        auth = {"Authorization": f"Bearer {self.settings.api_key}"}
        async with self.client(auth, BASE_URL) as http:
            call = asyncio.create_task(
                request(PROVIDER, http, "POST", "/v1/images/generations", json=self.body(inputs))
            )
            response = await _until_done(call, context)
            if response is None:
                return GeneratorResult(outputs=[])
            if response.headers.get("x-request-id"):
                await context.set_external_job_id(response.headers["x-request-id"])
            return await self.store_images(context, response.json())

    async def store_images(self, context: GeneratorContext, body: dict[str, Any]) -> GeneratorResult:
        images = body.get("data") or []
        if not images:
            raise PermanentError("openai: the response held no image")
        await context.progress(0.88, phase="finalizing", message=f"storing {len(images)} image(s)")
        metadata: dict[str, Any] = {"provider": PROVIDER, "model": self.model_id}
        if body.get("usage"):
            metadata["usage"] = body["usage"]
        artifacts = []
        for image in images:
            extra = {"revised_prompt": image["revised_prompt"]} if image.get("revised_prompt") else {}
            if image.get("b64_json"):
                data = base64.b64decode(image["b64_json"])
                content_type = TYPES.get(body.get("output_format") or self.output_format, "image/png")
            else:  # a CDN URL: fetched without the API key
                async with httpx.AsyncClient(timeout=60.0) as cdn:
                    data, content_type = await download(
                        cdn, image["url"], max_bytes=self.settings.max_download_bytes,
                        timeout_s=self.settings.download_timeout_seconds,
                    )  # fmt: skip
            artifacts.append(await self.store_bytes(context, data, content_type, {**metadata, **extra}))
        return GeneratorResult(outputs=artifacts, metadata=metadata)


class GptImageInput(BaseModel):
    prompt: str = Field(min_length=1, max_length=32000, description="What to draw.")
    size: Literal["auto", "1024x1024", "1536x1024", "1024x1536"] = "1024x1024"
    quality: Literal["low", "medium", "high", "auto"] = "medium"
    n: int = Field(default=1, ge=1, le=4, description="How many images.")
    output_format: Literal["png", "jpeg", "webp"] = "png"


GPT_IMAGE_PRICES = {"low": Decimal("0.011"), "medium": Decimal("0.042"), "high": Decimal("0.167")}


class OpenAIGptImage(OpenAIImageGenerator):
    name = "openai-gpt-image-1"
    artifact_type = "image"
    description = "OpenAI gpt-image-1: text-to-image (1–4 images)."
    model = "gpt-image-1"
    Input = GptImageInput

    def estimate_cost(self, inputs: BaseModel) -> Decimal:
        if self.settings.price is not None:
            return self.settings.price * self.units(inputs)
        per_image = GPT_IMAGE_PRICES.get(getattr(inputs, "quality", "high"), GPT_IMAGE_PRICES["high"])
        return per_image * self.units(inputs)


class DallE3Input(BaseModel):
    prompt: str = Field(min_length=1, max_length=4000, description="What to draw.")
    size: Literal["1024x1024", "1792x1024", "1024x1792"] = "1024x1024"
    quality: Literal["standard", "hd"] = "standard"
    style: Literal["vivid", "natural"] = "vivid"


class OpenAIDallE3(OpenAIImageGenerator):
    name = "openai-dall-e-3"
    artifact_type = "image"
    description = "OpenAI DALL·E 3: one image from text."
    model = "dall-e-3"
    Input = DallE3Input

    def body(self, inputs: Any) -> dict[str, Any]:
        return {**super().body(inputs), "n": 1, "response_format": "b64_json"}

    def estimate_cost(self, inputs: BaseModel) -> Decimal:
        if self.settings.price is not None:
            return self.settings.price
        wide = getattr(inputs, "size", "1024x1024") != "1024x1024"
        hd = getattr(inputs, "quality", "standard") == "hd"
        return Decimal("0.04") + Decimal("0.04") * wide + Decimal("0.04") * hd


VIDEO_STATUSES: dict[str, Status] = {
    "queued": "queued", "in_progress": "running", "completed": "succeeded", "failed": "failed",
}  # fmt: skip


class SoraJob:
    """One video job of the Videos API (a RemoteJob): POST /v1/videos, GET /v1/videos/{id}, DELETE to stop."""

    provider = PROVIDER

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.id = ""

    def _seen(self, video: dict[str, Any]) -> JobState:
        self.id = str(video.get("id") or self.id)
        status = VIDEO_STATUSES.get(str(video.get("status")), "running")
        progress = video.get("progress")
        error = video.get("error")
        reason = (error.get("message") or error.get("code")) if isinstance(error, dict) else error
        message = (
            f"rendering at OpenAI ({progress}%)" if status == "running" and progress is not None else None
        )
        return JobState(
            status, fraction=progress / 100 if isinstance(progress, int | float) else None, message=message,
            error=str(reason) if reason else None,
        )  # fmt: skip

    async def start(self, body: dict[str, Any]) -> JobState:
        return self._seen(await send(PROVIDER, self.http, "POST", "/v1/videos", json=body))

    async def resume(self, job_id: str) -> JobState | None:
        self.id = job_id
        try:
            return await self.refresh()
        except PermanentError:  # deleted (a cancel before the retry): start afresh
            return None

    async def refresh(self) -> JobState:
        return self._seen(await send(PROVIDER, self.http, "GET", f"/v1/videos/{self.id}"))

    def from_event(self, payload: dict[str, Any]) -> JobState | None:
        return None  # Videos API webhooks are project-wide settings; this adapter polls

    async def cancel(self) -> None:
        await send(PROVIDER, self.http, "DELETE", f"/v1/videos/{self.id}")


class SoraInput(BaseModel):
    prompt: str = Field(min_length=1, max_length=10000, description="What happens in the clip.")
    seconds: Literal["4", "8", "12"] = "4"
    size: Literal["720x1280", "1280x720", "1024x1792", "1792x1024"] = "1280x720"


class OpenAISora(OpenAIImageGenerator):
    name = "openai-sora-2"
    artifact_type = "video"
    description = "OpenAI Sora 2: a 4–12 s clip with sound from text (Videos API, polled)."
    model = "sora-2"
    price = Decimal("0.10")  # per second of video
    timeout_seconds = 840  # under the queue job timeout (900 s, app.queue.dispatcher)
    Input = SoraInput

    def units(self, inputs: Any) -> int:
        return int(inputs.seconds)

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        auth = {"Authorization": f"Bearer {self.settings.api_key}"}
        async with self.client(auth, BASE_URL) as http:
            job = SoraJob(http)
            await self.run_remote(context, job, self.body(inputs))
            await context.progress(0.88, phase="finalizing", message="storing the video")
            data, content_type = await download(
                http, f"/v1/videos/{job.id}/content", max_bytes=self.settings.max_download_bytes,
                timeout_s=self.settings.download_timeout_seconds,
            )  # fmt: skip
        metadata = {
            "provider": PROVIDER,
            "model": self.model_id,
            "video_id": job.id,
            "seconds": int(inputs.seconds),
        }
        content_type = content_type if content_type.startswith("video/") else "video/mp4"
        artifact = await self.store_bytes(context, data, content_type, metadata, "video.mp4")
        return GeneratorResult(outputs=[artifact], metadata=metadata)


GENERATORS = [OpenAIGptImage, OpenAIDallE3, OpenAISora]
