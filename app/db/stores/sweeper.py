"""Recovery and lease upkeep across every tenant (the one deliberate exception to tenant-scoped stores: the
sweeper and a worker's lease renewal are system work that owns no request and acts for no user)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, Executable, Text, case, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import Generation
from app.db.stores.credits import settle
from app.db.stores.generations import GENERATION_SELECT, UrlSigner, generations, to_generation
from app.db.stores.lifecycle import CLEAR_LEASE, presence_key, present_keys, run_lost, seconds, tenant_active
from app.domain.generations.lifecycle import ErrorCode, Status

g = generations.c
LOST = "the worker running it stopped responding"


@dataclass(frozen=True)
class Stale:
    generation_id: UUID
    tenant_id: UUID
    attempt: int
    status: str = Status.PENDING.value
    generation: Generation | None = None  # the row as changed (expire_lapsed): announced without a re-read


class SqlSweeper:
    def __init__(self, session: AsyncSession, *, urls: UrlSigner | None = None) -> None:
        self.session = session
        self._urls = urls

    async def renew(self, owner: str, lease_s: float, running: list[UUID]) -> dict[UUID, int]:
        """Extend the leases of the runs this worker has going, in one statement; {generation id: attempt} of
        those it still holds (a run missing here was cancelled or claimed by another worker: it must stop).
        A row this worker holds but no longer runs is left to lapse, so the sweeper recovers it."""
        stmt = (
            update(generations)
            .where(g.lease_owner == owner, g.status == Status.PROCESSING.value, g.id.in_(running))
            .values(lease_expires_at=func.now() + seconds(lease_s), heartbeat_at=func.now())
            .returning(g.id, g.attempt)
        )
        return {row[0]: int(row[1]) for row in (await self.session.execute(stmt)).all()}

    async def expire_lapsed(self, lease_s: float, max_failures: int, limit: int = 500) -> list[Stale]:
        """Processing rows whose run is lost (lease ran out, or the worker is gone): pending again, one failure
        counted, or failed (WORKER_LOST, credits refunded) once the failure budget is spent."""
        lapsed = (
            select(g.id)
            .where(run_lost(lease_s))
            .order_by(g.lease_expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        spent = g.failures + 1 >= max_failures
        failed_reason = f"{LOST}; gave up after {max_failures} attempts"
        stmt = (
            update(generations)
            .where(g.id.in_(lapsed), run_lost(lease_s))
            .values(
                status=case(
                    (spent, literal(Status.FAILED.value, g.status.type)),
                    else_=literal(Status.PENDING.value, g.status.type),
                ),
                failures=g.failures + 1,
                phase=case((spent, g.phase), else_="queued"),
                status_message=case((spent, failed_reason), else_=f"{LOST}; retrying"),
                error_message=case((spent, failed_reason), else_=g.error_message),
                error_code=case((spent, ErrorCode.WORKER_LOST.value), else_=None),
                completed_at=case((spent, func.now()), else_=None),
                updated_at=func.now(),
                **CLEAR_LEASE,
            )
            .returning(*GENERATION_SELECT, g.attempt)
        )
        rows = []
        for row in await self._all(stmt):
            generation = to_generation(row, self._urls)
            status = generation.status.value
            rows.append(Stale(generation.id, generation.tenant_id, int(row[-1]), status, generation))
        for stale in rows:
            if stale.status == Status.FAILED.value:
                await settle(self.session, stale.tenant_id, stale.generation_id, "refund", failed_reason)
        return rows

    async def pending_older_than(self, older_than_s: float, limit: int = 500) -> list[Stale]:
        """Pending rows untouched for a while: their job may be lost (Redis restarted empty, an enqueue
        timed out). Re-queueing is idempotent (the job key carries the attempt)."""
        stmt = (
            select(g.id, g.tenant_id, g.attempt)
            .where(
                g.status == Status.PENDING.value,
                g.updated_at < func.now() - seconds(older_than_s),
                tenant_active(),  # a disabled tenant's rows wait; queued again once it is enabled
            )
            .order_by(g.updated_at)
            .limit(limit)
        )
        return [Stale(*row) for row in await self._all(stmt)]

    async def gone_workers(self, owners: list[str], lease_s: float) -> set[str]:
        """Of these worker ids, those whose process is gone (no presence lock; app.jobs.presence). None right
        after a PostgreSQL restart, before the live workers could take their locks again."""
        if not owners:
            return set()
        candidate = func.unnest(literal(owners, ARRAY(Text))).column_valued("owner")
        stmt = select(candidate).where(
            presence_key(candidate).not_in(present_keys()),
            func.pg_postmaster_start_time() < func.now() - seconds(lease_s),
        )
        return {str(owner) for owner in (await self.session.execute(stmt)).scalars()}

    async def _all(self, stmt: Executable) -> list[Any]:
        return list((await self.session.execute(stmt)).all())
