"""Local filesystem storage (the embedded default): files under one root, nothing outside it.

Its files are served by /api/v1/files with the app's signed, expiring URLs (app.storage.signing).
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import os
from collections.abc import AsyncIterable
from pathlib import Path
from uuid import UUID, uuid4

from app.storage.port import ObjectInfo, ObjectMissing, TooLarge, UploadTarget, storage_fault
from app.storage.signing import FILES_PATH, UrlSigner

__all__ = ["FILES_PATH", "LocalStorage", "storage_key"]


def storage_key(
    tenant_id: UUID, board_id: UUID, generation_id: UUID, extension: str, *, suffix: str = ""
) -> str:
    """tenant/board/generation[-suffix].ext — readable, unique, and a real extension for content sniffers."""
    clean = "".join(ch for ch in extension.lower() if ch.isalnum())[:8] or "bin"
    return f"{tenant_id}/{board_id}/{generation_id}{suffix}.{clean}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers never see half a file, and a failed write leaves no
    partial file behind. A full or read-only filesystem raises StorageFault (retrying cannot help).

    The common case is three syscalls (open+write, rename): the directory is made only when the first write
    finds it missing, and the partial file is removed only when something failed (a worker writes one file
    per job; the mkdir's EEXIST and the unlink's ENOENT were a third of a no-op job's storage time)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.{uuid4().hex[:8]}.part")
    try:
        try:
            partial.write_bytes(data)
        except FileNotFoundError:  # the first object of its directory
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
        partial.replace(path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        fault = storage_fault(error) if isinstance(error, OSError) else None
        if fault is not None:
            raise fault from error
        raise


class LocalStorage:
    name = "local"

    def __init__(self, root: Path, secret: str, *, url_ttl_seconds: int = 6 * 3600) -> None:
        self.root = root.resolve()
        self.signer = UrlSigner(secret, ttl_s=url_ttl_seconds)
        self.url_ttl_seconds = url_ttl_seconds

    def path_for(self, key: str) -> Path:
        """The file of a key; refuses anything that would leave the root (.., absolute paths, NUL)."""
        if not key or "\x00" in key or key.startswith("/") or ".." in key.split("/") or "\\" in key:
            raise ValueError("invalid storage key")
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError("invalid storage key")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        await asyncio.to_thread(self._write, key, data)  # resolving the path is filesystem work too

    def _write(self, key: str, data: bytes) -> None:
        write_atomically(self.path_for(key), data)

    async def put_stream(self, key: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> int:
        """Write a streamed body straight to disk (an upload never sits in memory); TooLarge past max_bytes,
        leaving nothing behind. Returns the size written."""
        path = self.path_for(key)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{uuid4().hex}.part")
        size = 0
        try:
            with partial.open("wb") as out:  # each write goes to a thread below
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"more than {max_bytes} bytes")
                    await asyncio.to_thread(out.write, chunk)
            await asyncio.to_thread(partial.replace, path)
        except OSError as error:
            fault = storage_fault(error)
            if fault is not None:
                raise fault from error
            raise
        finally:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        return size

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError):
            raise ObjectMissing(key) from None

    async def stat(self, key: str) -> ObjectInfo | None:
        path = self.path_for(key)
        if not path.is_file():
            return None
        return ObjectInfo(size=path.stat().st_size, content_type=mimetypes.guess_type(path.name)[0])

    async def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path_for(key).unlink, missing_ok=True)

    def signed_get(self, key: str, *, ttl_s: int, content_type: str, disposition: str) -> str | None:
        return None  # served by the app

    def signed_put(self, key: str, *, content_type: str, size: int, ttl_s: int) -> UploadTarget | None:
        return None  # the app's signed PUT endpoint

    async def aclose(self) -> None:
        return None

    # The app-signed URL API this class had before the router existed (kept for its callers).
    def signed_url(self, key: str, *, now: float | None = None) -> str:
        return self.signer.get_url(key, now=now)

    def verify(self, key: str, expires: int, signature: str, *, now: float | None = None) -> bool:
        return self.signer.verify_get(key, expires, signature, now=now)
