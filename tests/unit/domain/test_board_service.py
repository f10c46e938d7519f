"""BoardService against an in-memory fake of the BoardStore port (no IO)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest

from app.contracts import Board, BoardCreate, BoardListQuery, BoardQueryRole, BoardUpdate, SortOrder, User
from app.domain.actor import Actor
from app.domain.boards import BoardService
from app.domain.errors import Forbidden, Invalid, NotFound, Unauthenticated
from app.domain.policy import BoardRelation

TENANT = uuid4()


class FakeBoardStore:
    def __init__(self) -> None:
        self.boards: dict[UUID, Board] = {}
        self.members: dict[tuple[UUID, UUID], str] = {}

    async def insert(self, *, owner_id: UUID, values: dict[str, Any]) -> Board:
        now = datetime.now(UTC)
        board = Board(
            id=uuid4(), tenant_id=TENANT, owner_id=owner_id, created_at=now, updated_at=now, **values
        )
        self.boards[board.id] = board
        return board

    async def get(self, board_id: UUID) -> Board | None:
        return self.boards.get(board_id)

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        board = self.boards.get(board_id)
        if board is None:
            return None
        role = self.members.get((board_id, user_id)) if user_id else None
        return BoardRelation(board.id, board.owner_id, board.is_public, role)

    async def get_with_relation(
        self, board_id: UUID, user_id: UUID | None
    ) -> tuple[Board, BoardRelation, User | None] | None:
        relation = await self.relation(board_id, user_id)
        return None if relation is None else (self.boards[board_id], relation, None)

    async def list_for_user(
        self, user_id: UUID, *, role: BoardQueryRole, sort: SortOrder, limit: int, offset: int
    ) -> tuple[Sequence[Board], int]:
        rows = [b for b in self.boards.values() if b.owner_id == user_id]
        return rows[offset : offset + limit], len(rows)

    async def update(self, board_id: UUID, changes: dict[str, Any]) -> Board:
        self.boards[board_id] = msgspec.structs.replace(self.boards[board_id], **changes)
        return self.boards[board_id]

    async def delete(self, board_id: UUID) -> bool:
        return self.boards.pop(board_id, None) is not None


@pytest.fixture
def store() -> FakeBoardStore:
    return FakeBoardStore()


def service(store: FakeBoardStore, user: UUID | None) -> BoardService:
    return BoardService(store, Actor(TENANT, user))


async def test_members_get_the_access_their_role_allows(store: FakeBoardStore) -> None:
    owner, viewer, admin = uuid4(), uuid4(), uuid4()
    board = await service(store, owner).create(BoardCreate(title="Mine"))
    store.members[(board.id, viewer)] = "viewer"
    store.members[(board.id, admin)] = "admin"

    assert (await service(store, viewer).get(board.id)).title == "Mine"
    with pytest.raises(Forbidden):
        await service(store, viewer).update(board.id, BoardUpdate(title="Theirs"))
    assert (await service(store, admin).update(board.id, BoardUpdate(title="Ours"))).title == "Ours"
    with pytest.raises(Forbidden):
        await service(store, admin).delete(board.id)  # only the owner deletes
    with pytest.raises(NotFound):
        await service(store, uuid4()).get(board.id)  # a stranger cannot even see it
    assert await service(store, owner).delete(board.id) is True


async def test_anonymous_callers_cannot_create_or_list(store: FakeBoardStore) -> None:
    with pytest.raises(Unauthenticated):
        await service(store, None).create(BoardCreate(title="x"))
    with pytest.raises(Unauthenticated):
        await service(store, None).list_mine(BoardListQuery())


async def test_an_empty_patch_changes_nothing_and_null_title_is_invalid(store: FakeBoardStore) -> None:
    owner = uuid4()
    board = await service(store, owner).create(BoardCreate(title="Same"))
    assert await service(store, owner).update(board.id, BoardUpdate()) == board
    with pytest.raises(Invalid):
        await service(store, owner).update(board.id, BoardUpdate(title=None))


async def test_list_reports_the_total_beyond_the_page(store: FakeBoardStore) -> None:
    owner = uuid4()
    for i in range(3):
        await service(store, owner).create(BoardCreate(title=f"b{i}"))
    page = await service(store, owner).list_mine(BoardListQuery(limit=2))
    assert (len(page.items), page.page.total, page.page.limit) == (2, 3, 2)
