"""/api/v1/files/{key}: stored artifacts by signed, expiring URL only — GET (ranges, content type and
disposition; remote backends without their own URLs are proxied) and PUT (a presigned direct upload)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, HeaderParameter, QueryParameter
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.served_types import served_type
from app.domain.errors import Conflict, Forbidden, Invalid, NotFound
from app.storage import ObjectMissing, Storage
from app.storage.port import TooLarge as BodyTooLarge
from app.wiring import upload_accepts_bytes

Disposition = Annotated[Literal["inline", "attachment"], QueryParameter(name="disposition")]


# Stored files are user content on the API's origin: never sniffed into another type, and a document among
# them (HTML, SVG) runs sandboxed without scripts. <img>, <video> and <audio> ignore these headers.
UNTRUSTED_CONTENT = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


class FileController(Controller):
    path = "/api/v1/files"
    tags = ["Files"]

    @get(
        "/{key:path}",
        operation_id="GetFile",
        summary="A stored artifact (signed URL)",
        media_type="application/octet-stream",
    )
    async def get_file(
        self,
        state: State,
        key: FromPath[str],
        expires: Annotated[int, QueryParameter(name="expires")],
        signature: Annotated[str, QueryParameter(name="signature", max_length=64)],
        disposition: Disposition = "inline",
        range_header: Annotated[str | None, HeaderParameter(name="range")] = None,
    ) -> File | Response[bytes]:
        storage: Storage = state.runtime.storage
        key = key.lstrip("/")
        if not storage.verify(key, expires, signature, disposition=disposition):
            raise Forbidden("this file link is invalid or has expired")
        name = PurePosixPath(key).name
        media_type = served_type(name)
        headers = {"Accept-Ranges": "bytes", "Cache-Control": "private, max-age=300", **UNTRUSTED_CONTENT}
        if not storage.is_local(key):
            return await _proxied(storage, key, media_type, disposition, headers, range_header)
        path = _local_file(storage, key)
        wanted = _byte_range(range_header, path.stat().st_size) if range_header else None
        if wanted is not None:
            data = await asyncio.to_thread(_read_slice, path, *wanted)
            return _partial(data, wanted, path.stat().st_size, media_type, headers)
        return File(
            path=path, media_type=media_type, content_disposition_type=disposition, filename=name,
            headers=headers,
        )  # fmt: skip

    @put(
        "/{key:path}",
        operation_id="PutFile",
        summary="Upload the bytes of a presigned direct upload (signed URL from CreateDirectUpload)",
        status_code=200,
        request_max_body_size=None,  # the signed limit below is the one that counts
    )
    async def put_file(
        self,
        state: State,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        expires: Annotated[int, QueryParameter(name="expires")],
        max_bytes: Annotated[int, QueryParameter(name="maxBytes", ge=1)],
        content_type: Annotated[str, QueryParameter(name="contentType", max_length=200)],
        signature: Annotated[str, QueryParameter(name="signature", max_length=64)],
        db_session: NamedDependency[AsyncSession],
    ) -> dict[str, Any]:
        storage: Storage = state.runtime.storage
        key = key.lstrip("/")
        if not storage.signer.verify_put(key, expires, max_bytes, content_type, signature):
            raise Forbidden("this upload link is invalid or has expired")
        if not await upload_accepts_bytes(db_session, key):
            raise Conflict("this upload was already confirmed (or has expired): its link takes no more bytes")
        sent_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if sent_type != content_type:
            raise Invalid(f"Content-Type must be {content_type}", details={"field": "Content-Type"})
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(max_bytes)
        try:
            size = await _receive(storage, key, request, max_bytes, content_type)
        except BodyTooLarge:
            raise TooLarge(max_bytes) from None
        except ValueError:
            raise NotFound("file not found") from None
        return {"key": key, "size": size}


async def _receive(
    storage: Storage, key: str, request: Request[Any, Any, Any], max_bytes: int, content_type: str
) -> int:
    """Local objects stream to disk; other backends (GCS, Supabase) take the body at most max_bytes long."""
    if storage.is_local(key):
        return await storage.local.put_stream(key, request.stream(), max_bytes=max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise BodyTooLarge(f"more than {max_bytes} bytes")
    await storage.put_at(key, bytes(body), content_type=content_type)
    return len(body)


def _local_file(storage: Storage, key: str) -> Path:
    try:
        path = storage.path_for(key)
    except ValueError:
        raise NotFound("file not found") from None
    if not path.is_file():
        raise NotFound("file not found")
    return path


async def _proxied(
    storage: Storage,
    key: str,
    media_type: str,
    disposition: str,
    headers: dict[str, str],
    range_header: str | None,
) -> Response[bytes]:
    """A remote object the backend cannot sign for itself (GCS, Supabase), read through the app."""
    try:
        data = await storage.get(key)
    except (ObjectMissing, ValueError):
        raise NotFound("file not found") from None
    wanted = _byte_range(range_header, len(data)) if range_header else None
    if wanted is not None:
        return _partial(data[wanted[0] : wanted[1] + 1], wanted, len(data), media_type, headers)
    name = PurePosixPath(key).name
    disposition_header = f'{disposition}; filename="{name}"'
    return Response(
        data, media_type=media_type, headers={**headers, "Content-Disposition": disposition_header}
    )


def _partial(
    data: bytes, wanted: tuple[int, int], size: int, media_type: str, headers: dict[str, str]
) -> Response[bytes]:
    start, end = wanted
    return Response(
        data, status_code=206, media_type=media_type,
        headers={**headers, "Content-Range": f"bytes {start}-{end}/{size}"},
    )  # fmt: skip


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (anything else: the whole file, as RFC 9110 allows)."""
    match = re.fullmatch(r"bytes=(\d{0,19})-(\d{0,19})", header.strip())  # longer: not a usable range
    if match is None or size == 0 or not (match[1] or match[2]):
        return None
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        start, end = max(size - int(match[2]), 0), size - 1
    if start > end or start >= size:
        raise RangeNotSatisfiable(size)
    return start, end


def _read_slice(path: Path, start: int, end: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read(end - start + 1)


class RangeNotSatisfiable(HTTPException):
    status_code = 416

    def __init__(self, size: int) -> None:
        super().__init__(
            detail="the requested range is outside the file", headers={"Content-Range": f"bytes */{size}"}
        )


class TooLarge(HTTPException):
    status_code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(detail=f"the upload is larger than its limit of {limit} bytes")
