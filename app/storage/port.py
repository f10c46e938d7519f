"""The storage port: what every backend (local, S3, GCS, Supabase) implements, and its errors."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from typing import Protocol


class StorageError(Exception):
    """A backend failed in a way retrying may fix (network, 5xx, throttling)."""


class StorageFault(StorageError):
    """The storage itself cannot take writes (full, read-only, gone): retrying the same write cannot help.
    `code` is the generation's errorCode: STORAGE_FULL or STORAGE_UNAVAILABLE."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
UNAVAILABLE_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.ENODEV})


def storage_fault(error: OSError) -> StorageFault | None:
    """The StorageFault an OSError means, or None when it may be transient."""
    if error.errno in FULL_ERRNOS:
        return StorageFault("STORAGE_FULL", f"storage is full: {error.strerror or error}")
    if error.errno in UNAVAILABLE_ERRNOS:
        return StorageFault("STORAGE_UNAVAILABLE", f"storage cannot be written: {error.strerror or error}")
    return None


class ObjectMissing(StorageError):
    """No object under that key."""


class TooLarge(ValueError):
    """More bytes arrived than the upload allows."""


@dataclass(frozen=True)
class ObjectInfo:
    """What a HEAD tells: size in bytes and the stored content type."""

    size: int
    content_type: str | None = None


@dataclass(frozen=True)
class UploadTarget:
    """Where and how a client sends bytes directly to storage (a presigned PUT)."""

    url: str
    method: str = "PUT"
    headers: dict[str, str] = field(default_factory=dict)


class ObjectStore(Protocol):
    """One storage backend. Keys are relative paths (tenant/board/generation.ext)."""

    name: str

    async def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None: ...

    async def get(self, key: str) -> bytes:
        """The object's bytes; ObjectMissing when absent."""
        ...

    async def stat(self, key: str) -> ObjectInfo | None: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error (deletion jobs retry)."""
        ...

    def signed_get(self, key: str, *, ttl_s: int, content_type: str, disposition: str) -> str | None:
        """A URL the backend itself signs (S3), or None: the app signs and serves it (/api/v1/files)."""
        ...

    def signed_put(self, key: str, *, content_type: str, size: int, ttl_s: int) -> UploadTarget | None:
        """A presigned PUT the backend checks itself, or None: the app's signed PUT endpoint takes it."""
        ...

    async def aclose(self) -> None: ...
