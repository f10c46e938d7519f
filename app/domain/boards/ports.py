"""What the board use cases need from storage: Protocols the adapters implement.

Every store is bound to ONE tenant when it is built (app.wiring), so no query can forget tenant scoping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from app.contracts import Board, BoardQueryRole, SortOrder, User
from app.domain.policy import BoardRelation


class BoardStore(Protocol):
    """Boards of one tenant."""

    async def insert(self, *, owner_id: UUID, values: dict[str, Any]) -> Board: ...

    async def get(self, board_id: UUID) -> Board | None: ...

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def get_with_relation(
        self, board_id: UUID, user_id: UUID | None
    ) -> tuple[Board, BoardRelation, User | None] | None:
        """The board, the caller's relation to it and its owner (one read)."""
        ...

    async def list_for_user(
        self, user_id: UUID, *, role: BoardQueryRole, sort: SortOrder, limit: int, offset: int
    ) -> tuple[Sequence[Board], int]: ...

    async def update(self, board_id: UUID, changes: dict[str, Any]) -> Board: ...

    async def delete(self, board_id: UUID) -> bool: ...

    async def search(
        self,
        text: str,
        *,
        viewer: UUID | None,
        public_reads: bool,
        limit: int,
        offset: int,
        count_up_to: int | None = None,
    ) -> tuple[Sequence[Board], int]:
        """The page and the total, counted up to `count_up_to` (a lower bound when it reaches it); without
        it, offset + rows (no count statement)."""
        ...

    async def public(
        self, *, sort: SortOrder, limit: int, offset: int, count_up_to: int | None = None
    ) -> tuple[Sequence[Board], int]:
        """As search, for the tenant's public boards."""
        ...

    async def owned_by(
        self, user_ids: Sequence[UUID], *, viewer: UUID | None, public_reads: bool
    ) -> dict[UUID, list[Board]]: ...

    async def member_of(
        self, user_ids: Sequence[UUID], *, viewer: UUID | None, public_reads: bool
    ) -> dict[UUID, list[Board]]: ...
