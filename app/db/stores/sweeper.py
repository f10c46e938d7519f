"""Recovery queries across every tenant (the one deliberate exception to tenant-scoped stores: the sweeper
is a system job that owns no request and acts for no user)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.stores.credits import settle
from app.db.stores.generations import generations


@dataclass(frozen=True)
class Stale:
    generation_id: UUID
    tenant_id: UUID
    attempt: int


class SqlSweeper:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def pending_without_progress(self, older_than_s: float, limit: int = 500) -> list[Stale]:
        """Pending rows that have waited too long: their job may never have been queued (Redis was down)."""
        stmt = (
            select(generations.c.id, generations.c.tenant_id, generations.c.attempt)
            .where(
                generations.c.status == "pending",
                generations.c.updated_at < func.now() - text(f"interval '{float(older_than_s)} seconds'"),
            )
            .order_by(generations.c.updated_at)
            .limit(limit)
        )
        return [Stale(*row) for row in (await self.session.execute(stmt)).all()]

    async def processing_without_heartbeat(self, older_than_s: float, limit: int = 500) -> list[Stale]:
        """Processing rows whose worker stopped heart-beating (killed, lost its connection)."""
        cutoff = func.now() - text(f"interval '{float(older_than_s)} seconds'")
        stmt = (
            select(generations.c.id, generations.c.tenant_id, generations.c.attempt)
            .where(
                generations.c.status == "processing",
                or_(generations.c.heartbeat_at.is_(None), generations.c.heartbeat_at < cutoff),
            )
            .limit(limit)
        )
        return [Stale(*row) for row in (await self.session.execute(stmt)).all()]

    async def requeue(self, stale: Stale, reason: str) -> bool:
        stmt = (
            update(generations)
            .where(and_(generations.c.id == stale.generation_id, generations.c.status == "processing"))
            .values(status="pending", phase="queued", status_message=reason, updated_at=func.now())
        )
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))

    async def fail(self, stale: Stale, reason: str) -> bool:
        stmt = (
            update(generations)
            .where(
                and_(
                    generations.c.id == stale.generation_id,
                    generations.c.status.in_(["processing", "pending"]),
                )
            )
            .values(
                status="failed",
                error_message=reason,
                status_message=reason[:500],
                completed_at=func.now(),
                updated_at=func.now(),
            )
        )
        failed = bool(getattr(await self.session.execute(stmt), "rowcount", 0))
        if failed:
            await settle(self.session, stale.tenant_id, stale.generation_id, "refund", reason)
        return failed
