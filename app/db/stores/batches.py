"""Implements app.domain.generations.ports.BatchStore."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import Generation
from app.db.stores._scoped import TenantScoped
from app.db.stores.generations import GENERATION_SELECT, UrlSigner, generations, to_generation


class SqlBatchStore(TenantScoped):
    def __init__(self, session: AsyncSession, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._urls = urls

    async def batch(self, batch_id: UUID) -> Sequence[Generation]:
        stmt = (
            select(*GENERATION_SELECT)
            .where(self.scope(generations), generations.c.batch_id == batch_id)
            .order_by(generations.c.batch_index)
        )
        return [to_generation(row, self._urls) for row in (await self.session.execute(stmt)).all()]

    async def first_of_key(self, user_id: UUID, key: str) -> Generation | None:
        stmt = select(*GENERATION_SELECT).where(
            self.scope(generations), generations.c.user_id == user_id, generations.c.idempotency_key == key
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else to_generation(row, self._urls)
