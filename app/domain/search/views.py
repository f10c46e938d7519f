"""Saved views: named searches of a user. Sharing one on a board needs editor access there; everyone who may
read the board then sees it. Only its author (or the board's managers) delete it."""

from __future__ import annotations

from uuid import UUID

import msgspec

from app.contracts import GenerationSearchQuery, SavedView, SavedViewCreate
from app.domain.actor import Actor
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.policy import Access, access_level, require, require_user
from app.domain.search.ports import SavedViewStore
from app.domain.search.service import plan_for, query_from

_DEFAULTS: dict[str, object] = msgspec.to_builtins(GenerationSearchQuery())


def _compact(query: GenerationSearchQuery) -> dict[str, object]:
    """The query as clients send it: only what differs from the defaults (and never a cursor)."""
    found: dict[str, object] = msgspec.to_builtins(query)
    return {k: v for k, v in found.items() if k != "cursor" and v != _DEFAULTS.get(k)}


class SavedViewService:
    def __init__(self, store: SavedViewStore, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    async def create(self, command: SavedViewCreate) -> SavedView:
        user_id = require_user(self._actor)
        name = command.name.strip()
        if not name:
            raise Invalid("a view needs a name", details={"field": "name"})
        query = msgspec.structs.replace(query_from(command.query), cursor=None)
        plan_for(query, self._actor)  # the same checks as running it: a saved view always runs
        if command.board_id is not None:
            relation = await self._store.relation(command.board_id, user_id)
            require(self._actor, relation, Access.CONTRIBUTE)
        stored = _compact(query)
        view = await self._store.insert(
            {"user_id": user_id, "board_id": command.board_id, "name": name, "query": stored}
        )
        if view is None:
            raise Conflict(f"you already have a view named {name!r}")
        return view

    async def visible(self, board_id: UUID | None = None) -> list[SavedView]:
        if self._actor.user_id is None:
            return []
        return await self._store.visible(
            user_id=self._actor.user_id, public_reads=self._actor.public_reads, board_id=board_id
        )

    async def delete(self, view_id: UUID) -> bool:
        user_id = require_user(self._actor)
        view = await self._store.get(view_id)
        if view is None:
            raise NotFound("saved view not found")
        if view.user_id != user_id:
            relation = None if view.board_id is None else await self._store.relation(view.board_id, user_id)
            level = Access.NONE if relation is None else access_level(self._actor, relation)
            if level < Access.READ:
                raise NotFound("saved view not found")
            require(self._actor, relation, Access.MANAGE)
        return await self._store.delete(view_id)
