"""GET /api/v1/files/{key}: locally stored artifacts, by signed and expiring URL only (ranges supported)."""

from __future__ import annotations

import asyncio
import mimetypes
import re
from pathlib import Path
from typing import Annotated

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.params import FromPath, HeaderParameter, QueryParameter
from litestar.response import File

from app.domain.errors import Forbidden, NotFound


class FileController(Controller):
    path = "/api/v1/files"
    tags = ["Files"]

    @get("/{key:path}", operation_id="GetFile", summary="A stored artifact (signed URL)")
    async def get_file(
        self,
        state: State,
        key: FromPath[str],
        expires: Annotated[int, QueryParameter(name="expires")],
        signature: Annotated[str, QueryParameter(name="signature", max_length=64)],
        range_header: Annotated[str | None, HeaderParameter(name="range")] = None,
    ) -> File | Response[bytes]:
        storage = state.runtime.storage
        key = key.lstrip("/")
        if not storage.verify(key, expires, signature):
            raise Forbidden("this file link is invalid or has expired")
        try:
            path = storage.path_for(key)
        except ValueError:
            raise NotFound("file not found") from None
        if not path.is_file():
            raise NotFound("file not found")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        wanted = _byte_range(range_header, path.stat().st_size) if range_header else None
        if wanted is not None:
            start, end = wanted
            data = await asyncio.to_thread(_read_slice, path, start, end)
            headers = {
                "Content-Range": f"bytes {start}-{end}/{path.stat().st_size}",
                "Accept-Ranges": "bytes",
            }
            return Response(data, status_code=206, media_type=media_type, headers=headers)
        return File(
            path=path, media_type=media_type, content_disposition_type="inline", filename=path.name,
            headers={"Accept-Ranges": "bytes"},
        )  # fmt: skip


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (anything else: the whole file, as RFC 9110 allows)."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
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
