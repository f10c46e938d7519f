"""Likes and the public feed. Liking needs READ on the generation's board and a signed-in caller; the feed
shows completed generations of the tenant's public boards, newest first, with an opaque keyset cursor
(stable under inserts, unlike offsets)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from app.contracts import GenerationFeed, LikeStatus
from app.domain.actor import Actor
from app.domain.errors import Unauthenticated
from app.domain.generations.ports import GenerationAccess
from app.domain.likes.ports import FeedCursor, LikeStore
from app.domain.paging import check_page
from app.domain.policy import Access, require_on_generation, require_user


class LikeService:
    def __init__(self, store: LikeStore, generations: GenerationAccess, actor: Actor) -> None:
        self._store = store
        self._generations = generations
        self._actor = actor

    async def _readable(self, generation_id: UUID) -> None:
        relation = await self._generations.board_relation_of(generation_id, self._actor.user_id)
        require_on_generation(self._actor, relation, Access.READ)

    async def like(self, generation_id: UUID) -> LikeStatus:
        user_id = require_user(self._actor)
        await self._readable(generation_id)
        await self._store.like(generation_id, user_id)
        return await self._status(generation_id)

    async def unlike(self, generation_id: UUID) -> LikeStatus:
        user_id = require_user(self._actor)
        await self._readable(generation_id)
        await self._store.unlike(generation_id, user_id)
        return await self._status(generation_id)

    async def status(self, generation_id: UUID) -> LikeStatus:
        """Likes of a generation the caller may read."""
        await self._readable(generation_id)
        return await self._status(generation_id)

    async def _status(self, generation_id: UUID) -> LikeStatus:
        counts = await self.counts([generation_id])
        mine = await self.liked_by_me([generation_id])
        return LikeStatus(
            generation_id=generation_id, like_count=counts[generation_id], liked_by_me=generation_id in mine
        )

    async def counts(self, generation_ids: Sequence[UUID]) -> dict[UUID, int]:
        """Like counts of generations the caller already read (batched for GraphQL)."""
        return await self._store.counts(generation_ids)

    async def liked_by_me(self, generation_ids: Sequence[UUID]) -> set[UUID]:
        if self._actor.user_id is None:
            return set()
        return await self._store.liked_by(generation_ids, self._actor.user_id)

    async def feed(self, *, cursor: str | None = None, limit: int = 20) -> GenerationFeed:
        check_page(limit, maximum=100)
        if self._actor.is_anonymous and not self._actor.public_reads:
            raise Unauthenticated("sign in to see the feed")
        after = FeedCursor.decode(cursor) if cursor else None
        rows = list(await self._store.public_feed(after=after, limit=limit + 1))
        next_cursor = (
            FeedCursor(rows[limit - 1].created_at, rows[limit - 1].id).encode() if len(rows) > limit else None
        )
        return GenerationFeed(items=rows[:limit], next_cursor=next_cursor)
