"""What the tags use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from app.contracts import Tag


class TagStore(Protocol):
    async def page(
        self, *, limit: int, offset: int, count_up_to: int | None = None
    ) -> tuple[Sequence[Tag], int]:
        """The page by name and the total: tags counted up to `count_up_to` (a lower bound when it reaches
        it); without `count_up_to`, offset + rows (no count statement)."""
        ...

    async def get(self, tag_id: UUID) -> Tag | None: ...

    async def by_slug(self, slug: str) -> Tag | None: ...

    async def insert(self, values: dict[str, Any]) -> Tag | None:
        """None when the slug is taken."""
        ...

    async def update(self, tag_id: UUID, changes: dict[str, Any]) -> Tag | None: ...

    async def delete(self, tag_id: UUID) -> bool: ...

    async def tags_of(self, generation_ids: Sequence[UUID]) -> dict[UUID, list[Tag]]: ...

    async def attach(self, generation_id: UUID, tag_id: UUID) -> None: ...

    async def detach(self, generation_id: UUID, tag_id: UUID) -> bool: ...
