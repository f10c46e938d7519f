"""OpenAI: four generic adapters, one per API a catalog entry can name (`api:`):
- images: POST /v1/images/generations, synchronous, base64 images (or URLs);
- videos: POST /v1/videos, then polled (GET /v1/videos/{id}) and its content downloaded;
- chat: POST /v1/chat/completions, the reply stored as text;
- speech: POST /v1/audio/speech, the audio bytes stored.
Synchronous calls have no job to cancel: cancelling drops the connection, checked every CHECK_S."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from typing import Any

import httpx

from app.generators.base import GeneratorContext, GeneratorResult, PermanentError
from app.generators.providers._http import download, request, send
from app.generators.providers._polling import CHECK_S, JobState, Status
from app.generators.providers.catalog_base import CatalogGenerator

PROVIDER = "openai"
BASE_URL = "https://api.openai.com"
TYPES = {
    "png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "mp3": "audio/mpeg", "wav": "audio/wav",
    "opus": "audio/ogg", "aac": "audio/aac", "flac": "audio/flac", "pcm": "audio/L16",
}  # fmt: skip


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


class OpenAIGenerator(CatalogGenerator):
    provider = PROVIDER
    key_setting = "ATELIER_OPENAI_API_KEY"

    def body(self, inputs: Any, params: dict[str, Any]) -> dict[str, Any]:
        return {"model": self.model_id, **params}

    async def call(self, context: GeneratorContext, path: str, body: dict[str, Any]) -> httpx.Response | None:
        """One synchronous call (None once the generation is cancelled); its request id is the job id."""
        await context.progress(0.1, phase="processing", message="waiting for OpenAI")
        auth = {"Authorization": f"Bearer {self.settings.api_key}"}
        async with self.client(auth, BASE_URL) as http:
            response = await _until_done(
                asyncio.create_task(request(PROVIDER, http, "POST", path, json=body)), context
            )
        if response is not None and response.headers.get("x-request-id"):
            await context.set_external_job_id(response.headers["x-request-id"])
        return response

    def metadata(self) -> dict[str, Any]:
        return {"provider": PROVIDER, "model": self.model_id}


class OpenAIImagesGenerator(OpenAIGenerator):
    """`api: images`: gpt-image-1, dall-e-3 and the like."""

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        body = self.body(inputs, await self.provider_input(inputs, context))
        response = await self.call(context, "/v1/images/generations", body)
        if response is None:
            return GeneratorResult(outputs=[])
        return await self.store_images(context, response.json(), body.get("output_format"))

    async def store_images(
        self, context: GeneratorContext, body: dict[str, Any], output_format: str | None
    ) -> GeneratorResult:
        images = body.get("data") or []
        if not images:
            raise PermanentError("openai: the response held no image")
        await context.progress(0.88, phase="finalizing", message=f"storing {len(images)} image(s)")
        metadata = self.metadata()
        if body.get("usage"):
            metadata["usage"] = body["usage"]
        artifacts = []
        for image in images:
            extra = {"revised_prompt": image["revised_prompt"]} if image.get("revised_prompt") else {}
            if image.get("b64_json"):
                data = base64.b64decode(image["b64_json"])
                content_type = TYPES.get(
                    body.get("output_format") or output_format or "", self.entry.output.content_type
                )
            else:  # a CDN URL: fetched without the API key
                async with httpx.AsyncClient(timeout=60.0) as cdn:
                    data, content_type = await download(
                        cdn, image["url"], max_bytes=self.settings.max_download_bytes,
                        timeout_s=self.settings.download_timeout_seconds,
                    )  # fmt: skip
            artifacts.append(await self.store_bytes(context, data, content_type, {**metadata, **extra}))
        return GeneratorResult(outputs=artifacts, metadata=metadata)


class OpenAIChatGenerator(OpenAIGenerator):
    """`api: chat`: `prompt` (and `system`) become the messages; the other inputs are sent as they are."""

    def body(self, inputs: Any, params: dict[str, Any]) -> dict[str, Any]:
        rest = {k: v for k, v in params.items() if k not in ("prompt", "system")}
        messages = [{"role": "system", "content": params["system"]}] if params.get("system") else []
        messages.append({"role": "user", "content": params["prompt"]})
        return {"model": self.model_id, "messages": messages, **rest}

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        body = self.body(inputs, await self.provider_input(inputs, context))
        response = await self.call(context, "/v1/chat/completions", body)
        if response is None:
            return GeneratorResult(outputs=[])
        result = response.json()
        metadata = {**self.metadata(), **({"usage": result["usage"]} if result.get("usage") else {})}
        return await self.store_result(context, result, metadata)


class OpenAISpeechGenerator(OpenAIGenerator):
    """`api: speech`: the response body is the audio itself."""

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        body = self.body(inputs, await self.provider_input(inputs, context))
        response = await self.call(context, "/v1/audio/speech", body)
        if response is None:
            return GeneratorResult(outputs=[])
        declared = response.headers.get("content-type", "").split(";")[0].strip()
        fmt = str(body.get("response_format") or "")
        content_type = (
            declared if declared.startswith("audio/") else TYPES.get(fmt, self.entry.output.content_type)
        )
        await context.progress(0.88, phase="finalizing", message="storing the audio")
        artifact = await self.store_bytes(
            context, response.content, content_type, self.metadata(), f"a.{fmt}"
        )
        return GeneratorResult(outputs=[artifact], metadata=self.metadata())


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


class OpenAIVideosGenerator(OpenAIGenerator):
    """`api: videos`: Sora; polled, then its content downloaded with the key."""

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        body = self.body(inputs, await self.provider_input(inputs, context))
        auth = {"Authorization": f"Bearer {self.settings.api_key}"}
        async with self.client(auth, BASE_URL) as http:
            job = SoraJob(http)
            await self.run_remote(context, job, body)
            await context.progress(0.88, phase="finalizing", message="storing the video")
            data, content_type = await download(
                http, f"/v1/videos/{job.id}/content", max_bytes=self.settings.max_download_bytes,
                timeout_s=self.settings.download_timeout_seconds,
            )  # fmt: skip
        metadata = {**self.metadata(), "video_id": job.id}
        if body.get("seconds") is not None:
            metadata["seconds"] = int(body["seconds"])
        content_type = content_type if content_type.startswith("video/") else "video/mp4"
        artifact = await self.store_bytes(context, data, content_type, metadata, "video.mp4")
        return GeneratorResult(outputs=[artifact], metadata=metadata)


ADAPTERS: dict[str, type[OpenAIGenerator]] = {
    "images": OpenAIImagesGenerator, "videos": OpenAIVideosGenerator,
    "chat": OpenAIChatGenerator, "speech": OpenAISpeechGenerator,
}  # fmt: skip
