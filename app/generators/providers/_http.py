"""HTTP to providers: one error rule for every adapter, and capped downloads of their outputs.

The rule: a 4xx (bad input, refused content, bad key, unpaid account) is a PermanentError carrying the
provider's own message, so the generation fails at once with a reason a person can act on; 408/409/425/429,
5xx, timeouts and connection errors are TransientProviderError, which the runner retries with backoff.
"""

from __future__ import annotations

import asyncio
import base64
import mimetypes
from typing import Any

import httpx

from app.generators.base import PermanentError

TRANSIENT_STATUSES = {408, 409, 425, 429}
MESSAGE_LIMIT = 500
EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif",
    "video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov", "audio/mpeg": "mp3",
    "audio/wav": "wav", "audio/x-wav": "wav", "audio/flac": "flac", "audio/ogg": "ogg", "text/plain": "txt",
}  # fmt: skip


class TransientProviderError(RuntimeError):
    """The provider is busy, down or slow: retrying later may work."""


def provider_message(response: httpx.Response) -> str:
    """The human part of a provider's error body (Replicate problem+json, fal `detail`, OpenAI `error`)."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text.strip()[:MESSAGE_LIMIT] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:MESSAGE_LIMIT]
        detail = body.get("detail") or error or body.get("title") or body.get("message")
        if isinstance(detail, list):  # FastAPI-style validation errors (fal)
            detail = "; ".join(_validation_item(item) for item in detail)
        if detail:
            return str(detail)[:MESSAGE_LIMIT]
    return str(body)[:MESSAGE_LIMIT]


def _validation_item(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    where = ".".join(str(p) for p in item.get("loc", []) if p != "body")
    return f"{where}: {item.get('msg', item)}" if where else str(item.get("msg", item))


def error_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("code")) if isinstance(error, dict) and error.get("code") else None


def check(provider: str, response: httpx.Response) -> httpx.Response:
    """The response when it succeeded; otherwise the right kind of error, with the provider's message."""
    if response.is_success:
        return response
    status, message = response.status_code, provider_message(response)
    permanent_quota = (
        status == 429 and error_code(response) == "insufficient_quota"
    )  # OpenAI: unpaid, not busy
    if (status in TRANSIENT_STATUSES or status >= 500) and not permanent_quota:
        raise TransientProviderError(f"{provider} answered {status}: {message}")
    if status in (401, 403):
        raise PermanentError(f"{provider} refused the API key ({status}): {message}")
    raise PermanentError(f"{provider} rejected the request ({status}): {message}")


async def request(
    provider: str, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """One request → its successful response; network failures become transient errors."""
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.TimeoutException as error:
        raise TransientProviderError(f"{provider} timed out ({type(error).__name__})") from error
    except httpx.TransportError as error:
        raise TransientProviderError(f"{provider} unreachable: {error}") from error
    return check(provider, response)


async def send(provider: str, client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> Any:
    """One request → its decoded JSON body."""
    response = await request(provider, client, method, url, **kwargs)
    try:
        return response.json() if response.content else {}
    except ValueError as error:
        raise TransientProviderError(f"{provider} answered {response.status_code} with no JSON") from error


async def download(
    client: httpx.AsyncClient, url: str, *, max_bytes: int, timeout_s: float
) -> tuple[bytes, str]:
    """An output's bytes and content type, refusing more than max_bytes or longer than timeout_s."""
    if url.startswith("data:"):
        return _data_uri(url, max_bytes)
    try:
        async with asyncio.timeout(timeout_s):
            return await _stream(client, url, max_bytes)
    except TimeoutError as error:
        raise TransientProviderError(f"downloading an output took over {timeout_s:g} s") from error
    except httpx.TransportError as error:
        raise TransientProviderError(f"downloading an output failed: {error}") from error


async def _stream(client: httpx.AsyncClient, url: str, max_bytes: int) -> tuple[bytes, str]:
    async with client.stream("GET", url, follow_redirects=True) as response:
        if not response.is_success:
            await response.aread()
            check("output download", response)
        declared = int(response.headers.get("content-length") or 0)
        if declared > max_bytes:
            raise PermanentError(f"an output is {declared} bytes, over the {max_bytes}-byte limit")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise PermanentError(f"an output is over the {max_bytes}-byte limit")
            chunks.append(chunk)
        content_type = response.headers.get("content-type", "").split(";")[0].strip()
    return b"".join(chunks), content_type or guess_type(url)


def _data_uri(url: str, max_bytes: int) -> tuple[bytes, str]:
    header, _, payload = url.partition(",")
    content_type = header[5:].split(";")[0] or "application/octet-stream"
    data = base64.b64decode(payload) if ";base64" in header else payload.encode()
    if len(data) > max_bytes:
        raise PermanentError(f"an output is over the {max_bytes}-byte limit")
    return data, content_type


def guess_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", maxsplit=1)[0])[0] or "application/octet-stream"


def extension_for(content_type: str, url: str = "") -> str:
    """A file extension for a stored output (from its type, else from its URL)."""
    if content_type in EXTENSIONS:
        return EXTENSIONS[content_type]
    tail = url.split("?", maxsplit=1)[0].rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[-1][:8] if "." in tail else "bin"
