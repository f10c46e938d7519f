"""What the likes use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant), and the feed cursor they exchange."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from uuid import UUID

from app.contracts import Generation
from app.domain.errors import Invalid

# `<microseconds since the epoch>_<generation id>`: every string of this shape is a position in the feed, so
# the OpenAPI pattern says exactly which cursors the server takes (base64 text could be well formed and
# still not decode). Clients treat it as opaque.
CURSOR_PATTERN = r"^[0-9]{1,17}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class FeedCursor:
    created_at: datetime
    generation_id: UUID

    def encode(self) -> str:
        stamp = self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=UTC)
        return f"{(stamp - _EPOCH) // _MICROSECOND}_{self.generation_id}"

    @classmethod
    def decode(cls, text: str) -> FeedCursor:
        if re.fullmatch(CURSOR_PATTERN, text) is None:
            raise Invalid("not a feed cursor", details={"field": "cursor"})
        micros, _, ident = text.partition("_")
        return cls(_EPOCH + int(micros) * _MICROSECOND, UUID(ident))


class LikeStore(Protocol):
    async def like(self, generation_id: UUID, user_id: UUID) -> None: ...

    async def unlike(self, generation_id: UUID, user_id: UUID) -> None: ...

    async def counts(self, generation_ids: Sequence[UUID]) -> dict[UUID, int]: ...

    async def liked_by(self, generation_ids: Sequence[UUID], user_id: UUID) -> set[UUID]: ...

    async def public_feed(self, *, after: FeedCursor | None, limit: int) -> Sequence[Generation]: ...
