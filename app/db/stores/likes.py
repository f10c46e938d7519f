"""Likes and the public feed, scoped to one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import Generation
from app.db.models import Board, Like
from app.db.stores._scoped import TenantScoped, table_of
from app.db.stores.generations import GENERATION_SELECT, NEWEST, UrlSigner, generations, to_generation
from app.domain.likes import FeedCursor

likes = table_of(Like)
boards = table_of(Board)


class SqlLikeStore(TenantScoped):
    """Implements app.domain.likes.LikeStore."""

    def __init__(self, session: AsyncSession, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._urls = urls

    async def like(self, generation_id: UUID, user_id: UUID) -> None:
        values = self.stamp({"generation_id": generation_id, "user_id": user_id})
        stmt = (
            insert(likes)
            .values(values)
            .on_conflict_do_nothing(index_elements=[likes.c.user_id, likes.c.generation_id])
        )
        await self.session.execute(stmt)

    async def unlike(self, generation_id: UUID, user_id: UUID) -> None:
        stmt = delete(likes).where(
            self.scope(likes), likes.c.generation_id == generation_id, likes.c.user_id == user_id
        )
        await self.session.execute(stmt)

    async def counts(self, generation_ids: Sequence[UUID]) -> dict[UUID, int]:
        stmt = (
            select(likes.c.generation_id, func.count())
            .where(self.scope(likes), likes.c.generation_id.in_(list(generation_ids)))
            .group_by(likes.c.generation_id)
        )
        found = dict.fromkeys(generation_ids, 0)
        found.update({g: int(n) for g, n in (await self.session.execute(stmt)).all()})
        return found

    async def liked_by(self, generation_ids: Sequence[UUID], user_id: UUID) -> set[UUID]:
        stmt = select(likes.c.generation_id).where(
            self.scope(likes), likes.c.user_id == user_id, likes.c.generation_id.in_(list(generation_ids))
        )
        return {row[0] for row in (await self.session.execute(stmt)).all()}

    async def public_feed(self, *, after: FeedCursor | None, limit: int) -> Sequence[Generation]:
        public_boards = select(boards.c.id).where(self.scope(boards), boards.c.is_public)
        conditions = [
            self.scope(generations),
            generations.c.status == "completed",
            generations.c.board_id.in_(public_boards),
        ]
        if after is not None:
            conditions.append(
                or_(
                    generations.c.created_at < after.created_at,
                    and_(
                        generations.c.created_at == after.created_at, generations.c.id < after.generation_id
                    ),
                )
            )
        stmt = select(*GENERATION_SELECT).where(*conditions).order_by(*NEWEST).limit(limit)
        return [to_generation(row, self._urls) for row in (await self.session.execute(stmt)).all()]
