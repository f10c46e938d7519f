"""What the likes use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.contracts import Generation
from app.domain.errors import Invalid


@dataclass(frozen=True, slots=True)
class FeedCursor:
    created_at: datetime
    generation_id: UUID

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.generation_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> FeedCursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            stamp, ident = raw.split("|")
            return cls(datetime.fromisoformat(stamp), UUID(ident))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise Invalid("not a feed cursor", details={"field": "cursor"}) from None


class LikeStore(Protocol):
    async def like(self, generation_id: UUID, user_id: UUID) -> None: ...

    async def unlike(self, generation_id: UUID, user_id: UUID) -> None: ...

    async def counts(self, generation_ids: Sequence[UUID]) -> dict[UUID, int]: ...

    async def liked_by(self, generation_ids: Sequence[UUID], user_id: UUID) -> set[UUID]: ...

    async def public_feed(self, *, after: FeedCursor | None, limit: int) -> Sequence[Generation]: ...
