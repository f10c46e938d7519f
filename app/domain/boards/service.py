"""Board use cases: create, read, list, change and delete boards, each checked by the policy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec

from app.contracts import (
    Board,
    BoardCreate,
    BoardList,
    BoardListQuery,
    BoardUpdate,
    PageInfo,
    SortOrder,
    User,
)
from app.domain.actor import Actor
from app.domain.boards.ports import BoardStore
from app.domain.errors import Invalid, NotFound, Unauthenticated
from app.domain.files import FileCleanup, FileKeys
from app.domain.limits import MAX_JSON_FIELD_BYTES, check_json_fields
from app.domain.paging import check_page, count_limit, page_info
from app.domain.patch import sent_fields
from app.domain.policy import Access, require, require_user

_NOT_NULL = ("title", "is_public", "settings", "metadata")


class BoardService:
    """Use cases on boards for one actor. Never commits: the adapter owns the unit of work."""

    def __init__(
        self,
        store: BoardStore,
        actor: Actor,
        *,
        file_keys: FileKeys | None = None,
        files: FileCleanup | None = None,
        max_json_bytes: int = MAX_JSON_FIELD_BYTES,
    ) -> None:
        self._max_json_bytes = max_json_bytes
        self._store = store
        self._actor = actor
        self._file_keys = file_keys
        self._files = files

    async def create(self, command: BoardCreate) -> Board:
        owner_id = require_user(self._actor)
        values = msgspec.structs.asdict(command)
        values["title"] = _clean_title(values["title"])
        check_json_fields(values, ("settings", "metadata"), max_bytes=self._max_json_bytes)
        return await self._store.insert(owner_id=owner_id, values=values)

    async def get(self, board_id: UUID) -> Board:
        return (await self.get_with_owner(board_id))[0]

    async def get_with_owner(self, board_id: UUID) -> tuple[Board, User | None]:
        """A readable board and its owner, read together (a board view shows both)."""
        found = await self._store.get_with_relation(board_id, self._actor.user_id)
        if found is None:
            raise NotFound("board not found")
        require(self._actor, found[1], Access.READ)
        return found[0], found[2]

    async def list_mine(self, query: BoardListQuery) -> BoardList:
        user_id = require_user(self._actor)
        items, total = await self._store.list_for_user(
            user_id, role=query.role, sort=query.sort, limit=query.limit, offset=query.offset
        )
        return BoardList(
            items=list(items), page=PageInfo(total=total, limit=query.limit, offset=query.offset)
        )

    async def search(self, text: str, *, limit: int = 50, offset: int = 0, counted: bool = True) -> BoardList:
        """Boards the caller may read whose title or description contains `text`. `counted=False` (GraphQL's
        list has no total) skips the count; otherwise it stops 10,000 past the page (app.domain.paging)."""
        cleaned = text.strip()
        if not 1 <= len(cleaned) <= 200:
            raise Invalid("search text must be 1-200 characters", details={"field": "query"})
        check_page(limit, offset)
        up_to = count_limit(limit, offset) if counted else None
        items, total = await self._store.search(
            cleaned,
            viewer=self._actor.user_id,
            public_reads=self._actor.public_reads,
            limit=limit,
            offset=offset,
            count_up_to=up_to,
        )
        return BoardList(
            items=list(items), page=page_info(total, limit, offset, rows=len(items), up_to=up_to)
        )

    async def public(
        self,
        *,
        sort: SortOrder = SortOrder.UPDATED_DESC,
        limit: int = 50,
        offset: int = 0,
        counted: bool = True,
    ) -> BoardList:
        """The tenant's public boards; `counted` as in search."""
        check_page(limit, offset)
        if self._actor.is_anonymous and not self._actor.public_reads:
            raise Unauthenticated("sign in to see public boards")
        up_to = count_limit(limit, offset) if counted else None
        items, total = await self._store.public(sort=sort, limit=limit, offset=offset, count_up_to=up_to)
        return BoardList(
            items=list(items), page=page_info(total, limit, offset, rows=len(items), up_to=up_to)
        )

    async def owned_by(self, user_ids: Sequence[UUID]) -> dict[UUID, list[Board]]:
        """Boards each user owns that the caller may read (GraphQL's User.boards, batched)."""
        return await self._store.owned_by(
            user_ids, viewer=self._actor.user_id, public_reads=self._actor.public_reads
        )

    async def member_of(self, user_ids: Sequence[UUID]) -> dict[UUID, list[Board]]:
        """Boards each user is a member of that the caller may read (User.memberBoards, batched)."""
        return await self._store.member_of(
            user_ids, viewer=self._actor.user_id, public_reads=self._actor.public_reads
        )

    async def update(self, board_id: UUID, patch: BoardUpdate) -> Board:
        require(self._actor, await self._store.relation(board_id, self._actor.user_id), Access.MANAGE)
        changes = _changes(patch)
        check_json_fields(changes, ("settings", "metadata"), max_bytes=self._max_json_bytes)
        if not changes:
            return await self.get(board_id)
        return await self._store.update(board_id, changes)

    async def delete(self, board_id: UUID) -> bool:
        require(self._actor, await self._store.relation(board_id, self._actor.user_id), Access.OWN)
        keys = await self._file_keys.of_board(board_id) if self._file_keys else []
        deleted = await self._store.delete(board_id)
        if deleted and self._files is not None:
            self._files.delete_after_commit(keys)  # generations cascade in SQL; their files go by job
        return deleted


def _clean_title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise Invalid("title must not be blank", details={"field": "title"})
    return cleaned


def _changes(patch: BoardUpdate) -> dict[str, Any]:
    """Fields the caller sent (UNSET = not sent); null is refused for columns that cannot be null."""
    changes = sent_fields(patch)
    for name, value in changes.items():
        if value is None and name in _NOT_NULL:
            raise Invalid(f"{name} cannot be null", details={"field": name})
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
    return changes
