"""What presigned direct uploads need: a record of the intent, and storage that signs and checks uploads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from app.contracts import Generation
from app.domain.policy import BoardRelation


@dataclass(frozen=True)
class UploadIntent:
    id: UUID
    board_id: UUID
    user_id: UUID
    storage_key: str
    content_type: str
    max_bytes: int
    artifact_type: str
    original_filename: str | None
    expires_at: datetime
    confirmed_at: datetime | None
    generation_id: UUID | None


class UploadIntentStore(Protocol):
    """Upload intents of one tenant."""

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def insert(self, values: dict[str, Any]) -> UploadIntent: ...

    async def get(self, intent_id: UUID) -> UploadIntent | None: ...

    async def confirm(self, intent: UploadIntent, *, size: int, generation: dict[str, Any]) -> Generation:
        """Insert the generation (id = the intent's id) and mark the intent confirmed, in one unit of work."""
        ...

    async def generation(self, generation_id: UUID) -> Generation | None: ...


class Target(Protocol):
    @property
    def url(self) -> str: ...

    @property
    def method(self) -> str: ...

    @property
    def headers(self) -> dict[str, str]: ...


class Stored(Protocol):
    @property
    def size(self) -> int: ...


class UploadStorage(Protocol):
    """Implemented by app.storage.Storage."""

    def storage_key(
        self, tenant_id: UUID, board_id: UUID, generation_id: UUID, extension: str, *, suffix: str = ""
    ) -> str: ...

    def choose(self, artifact_type: str | None, size: int) -> str: ...

    def locator(self, backend: str, key: str) -> str: ...

    def upload_target(
        self, locator: str, *, content_type: str, size: int, max_bytes: int, ttl_s: int
    ) -> Target: ...

    async def stat(self, locator: str) -> Stored | None: ...

    async def head(self, locator: str, size: int) -> bytes:
        """The object's first `size` bytes."""
        ...

    async def get(self, locator: str) -> bytes:
        """The whole object (an image, to decode it as multipart uploads are)."""
        ...

    async def delete(self, locator: str) -> None: ...
