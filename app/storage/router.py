"""The Storage the app uses: routes each object to a backend and signs its URLs.

A stored reference (a *locator*) is the key itself for the local backend (so references written before
other backends existed stay valid) and `<backend>:<key>` for the others, so reads, URLs and deletion
always reach the backend that holds the object, whatever the routing rules say later.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from app.storage.config import Route
from app.storage.local import LocalStorage, storage_key, write_atomically
from app.storage.port import ObjectInfo, ObjectStore, UploadTarget
from app.storage.signing import UrlSigner


class Storage:
    storage_key = staticmethod(storage_key)

    def __init__(
        self,
        local: LocalStorage,
        *,
        backends: Mapping[str, ObjectStore] | None = None,
        default: str = "local",
        routes: list[Route] | None = None,
        signer: UrlSigner | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.local = local
        self.backends: dict[str, ObjectStore] = {"local": local, **(backends or {})}
        if default not in self.backends:
            raise ValueError(f"default storage backend {default!r} is not configured")
        self.default = default
        self.routes = routes or []
        self.signer = signer or local.signer
        self.url_ttl_seconds = self.signer.ttl_s
        self._cache_dir = cache_dir or local.root.parent / "storage-cache"

    # --- locators ---------------------------------------------------------------------------------
    def choose(self, artifact_type: str | None, size: int) -> str:
        """The backend for a new object: the first matching routing rule, else the default."""
        for route in self.routes:
            if route.matches(artifact_type, size) and route.backend in self.backends:
                return route.backend
        return self.default

    def locator(self, backend: str, key: str) -> str:
        return key if backend == "local" else f"{backend}:{key}"

    def resolve(self, locator: str) -> tuple[ObjectStore, str]:
        """(backend, key) of a stored reference; ValueError for an unknown backend or a bad key."""
        name, sep, key = locator.partition(":")
        if not sep:
            # Only the lexical check here: the local backend resolves (and checks) the real path when it acts;
            # resolving it here too cost a worker's no-op job more CPU than its SQL (an lstat per component).
            if not _safe_key(locator) or all(p in ("", ".") for p in locator.split("/")):  # nor the root
                raise ValueError("invalid storage key")
            return self.local, locator
        backend = self.backends.get(name)
        if backend is None or not _safe_key(key):
            raise ValueError("invalid storage key")
        return backend, key

    def is_local(self, locator: str) -> bool:
        return ":" not in locator

    # --- data -------------------------------------------------------------------------------------
    async def put(
        self, key: str, data: bytes, *, content_type: str | None = None, artifact_type: str | None = None
    ) -> str:
        """Store under `key` on the routed backend; returns the locator to keep (store THAT, not `key`)."""
        backend = self.choose(artifact_type or _artifact_type_of(key), len(data))
        return await self.put_at(self.locator(backend, key), data, content_type=content_type)

    async def put_at(self, locator: str, data: bytes, *, content_type: str | None = None) -> str:
        backend, key = self.resolve(locator)
        await backend.put(key, data, content_type=content_type or _guess_type(key))
        return locator

    async def get(self, locator: str) -> bytes:
        backend, key = self.resolve(locator)
        return await backend.get(key)

    async def stat(self, locator: str) -> ObjectInfo | None:
        backend, key = self.resolve(locator)
        return await backend.stat(key)

    async def head(self, locator: str, size: int) -> bytes:
        """The first `size` bytes (enough to tell a file's format): read from disk for local objects."""
        backend, key = self.resolve(locator)
        if backend is self.local:
            path = self.local.path_for(key)
            return await asyncio.to_thread(_read_head, path, size)
        return (await backend.get(key))[:size]

    async def exists(self, locator: str) -> bool:
        backend, key = self.resolve(locator)
        return await backend.exists(key)

    async def delete(self, locator: str) -> None:
        backend, key = self.resolve(locator)
        await backend.delete(key)

    def path_for(self, locator: str) -> Path:
        """The file of a local object (ValueError for other backends: use get or materialize)."""
        if not self.is_local(locator):
            raise ValueError("not a local storage key")
        return self.local.path_for(locator)

    def local_health(self, min_free_bytes: int) -> str:
        """'ok', or why new local objects cannot be written (read-only, missing, less free space than
        `min_free_bytes`). Remote backends are not probed here: their outages surface per request."""
        root = self.local.root
        try:
            root.mkdir(parents=True, exist_ok=True)
            if not os.access(root, os.W_OK):
                return "error: not writable"
            stats = os.statvfs(root)
        except OSError as error:
            return f"error: {error.strerror or type(error).__name__}"
        free = stats.f_bavail * stats.f_frsize
        return "ok" if free >= min_free_bytes else f"error: {free} bytes free (< {min_free_bytes})"

    async def materialize(self, locator: str) -> Path:
        """A local file with the object's bytes (remote objects are downloaded to a cache once)."""
        if self.is_local(locator):
            return self.path_for(locator)
        digest = hashlib.sha256(locator.encode()).hexdigest()[:32]
        path = self._cache_dir / f"{digest}{PurePosixPath(locator).suffix[:9]}"
        if not path.is_file():
            data = await self.get(locator)
            await asyncio.to_thread(write_atomically, path, data)
        return path

    # --- URLs -------------------------------------------------------------------------------------
    def signed_url(self, locator: str, *, now: float | None = None, disposition: str = "inline") -> str:
        """An expiring URL: the backend's own presigned URL where it has one (S3), else the app's."""
        if not self.is_local(locator):
            backend, key = self.resolve(locator)
            content_type = _guess_type(key)
            filename = PurePosixPath(key).name
            direct = backend.signed_get(
                key, ttl_s=self.url_ttl_seconds, content_type=content_type,
                disposition=f'{disposition}; filename="{filename}"',
            )  # fmt: skip
            if direct is not None:
                return direct
        return self.signer.get_url(locator, now=now, disposition=disposition)

    def verify(
        self,
        locator: str,
        expires: int,
        signature: str,
        *,
        now: float | None = None,
        disposition: str = "inline",
    ) -> bool:
        return self.signer.verify_get(locator, expires, signature, disposition=disposition, now=now)

    def upload_target(
        self, locator: str, *, content_type: str, size: int, max_bytes: int, ttl_s: int
    ) -> UploadTarget:
        """Where a client PUTs the bytes: the backend's presigned PUT (S3) or the app's signed PUT endpoint."""
        backend, key = self.resolve(locator)
        direct = backend.signed_put(key, content_type=content_type, size=size, ttl_s=ttl_s)
        if direct is not None:
            return direct
        url = self.signer.put_url(locator, max_bytes=max_bytes, content_type=content_type, ttl_s=ttl_s)
        return UploadTarget(url=url, method="PUT", headers={"Content-Type": content_type})

    async def aclose(self) -> None:
        for backend in self.backends.values():
            await backend.aclose()


def _read_head(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _safe_key(key: str) -> bool:
    parts = key.split("/")
    return (
        bool(key) and "\x00" not in key and "\\" not in key and not key.startswith("/") and ".." not in parts
    )


def _guess_type(key: str) -> str:
    return mimetypes.guess_type(PurePosixPath(key).name)[0] or "application/octet-stream"


def _artifact_type_of(key: str) -> str | None:
    """image/video/audio/text from the key's extension (routing when the caller did not say)."""
    major = _guess_type(key).split("/")[0]
    return major if major in {"image", "video", "audio", "text"} else None
