"""Implements app.domain.search.SavedViewStore."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import SavedView
from app.db.models import SavedView as SavedViewModel
from app.db.stores._scoped import TenantScoped, columns_for, row_to, table_of
from app.db.stores.boards import SqlBoardStore
from app.db.stores.generations import boards, members
from app.db.stores.visibility import readable_boards
from app.domain.policy import BoardRelation

saved_views = table_of(SavedViewModel)
VIEW_COLUMNS = columns_for(saved_views, SavedView)


class SqlSavedViewStore(TenantScoped):
    def __init__(self, session: AsyncSession, tenant_id: UUID) -> None:
        super().__init__(session, tenant_id)
        self._boards = SqlBoardStore(session, tenant_id)

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        return await self._boards.relation(board_id, user_id)

    async def insert(self, values: dict[str, Any]) -> SavedView | None:
        stmt = (
            insert(saved_views)
            .values(self.stamp(values))
            .on_conflict_do_nothing(index_elements=["tenant_id", "user_id", "name"])
            .returning(*VIEW_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(SavedView, row)

    async def visible(self, *, user_id: UUID, public_reads: bool, board_id: UUID | None) -> list[SavedView]:
        readable = select(boards.c.id).where(
            self.scope(boards), readable_boards(boards, members, user_id, public_reads=public_reads)
        )
        stmt = (
            select(*VIEW_COLUMNS)
            .where(
                self.scope(saved_views),
                or_(saved_views.c.user_id == user_id, saved_views.c.board_id.in_(readable)),
            )
            .order_by(saved_views.c.name, saved_views.c.id)
        )
        if board_id is not None:
            stmt = stmt.where(saved_views.c.board_id == board_id)
        return [row_to(SavedView, row) for row in (await self.session.execute(stmt)).all()]

    async def get(self, view_id: UUID) -> SavedView | None:
        stmt = select(*VIEW_COLUMNS).where(self.scope(saved_views), saved_views.c.id == view_id)
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(SavedView, row)

    async def delete(self, view_id: UUID) -> bool:
        stmt = delete(saved_views).where(self.scope(saved_views), saved_views.c.id == view_id)
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))
