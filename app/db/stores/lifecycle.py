"""The generation state machine's store: each step of app.domain.generations.lifecycle.TRANSITIONS is ONE
conditional UPDATE (compare-and-set). Steps a run takes after its claim also match the attempt it claimed,
so a run that lost its lease (another worker claimed the row, or it was cancelled) changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    case,
    column,
    func,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.types import Interval

from app.contracts import Generation
from app.db.models import Tenant
from app.db.stores._scoped import TenantScoped, table_of
from app.db.stores.credits import settle
from app.db.stores.generations import GENERATION_SELECT, UrlSigner, generations, to_generation
from app.domain.generations.lifecycle import TRANSITIONS, Run, Status, Step
from app.domain.generations.ports import StoredOutputs

g = generations.c
tenants = table_of(Tenant)
CLEAR_LEASE = {"lease_owner": None, "lease_expires_at": None}


def seconds(value: float) -> ColumnElement[Any]:
    return literal(timedelta(seconds=value), Interval())


LIVENESS_LOCK_CLASS = 0x41544C  # the advisory-lock namespace of worker presence locks (app.jobs.presence)
pg_locks = table("pg_locks", column("locktype"), column("classid"), column("objid"), column("objsubid"))


def presence_key(owner: Any) -> ColumnElement[int]:
    """The second key of a worker's presence lock, as pg_locks shows it (an unsigned 32-bit objid)."""
    return func.hashtext(owner).cast(BigInteger).op("&")(0xFFFFFFFF)


def present_keys() -> Any:
    """The presence keys of every live worker (one scan of pg_locks, hashed by the planner)."""
    return (
        select(pg_locks.c.objid.cast(BigInteger))
        .where(
            pg_locks.c.locktype == "advisory",
            pg_locks.c.classid.cast(BigInteger) == LIVENESS_LOCK_CLASS,
            pg_locks.c.objsubid == 2,
        )
        .scalar_subquery()
    )


def worker_gone(lease_s: float) -> ColumnElement[bool]:
    """The row's worker process is gone: every worker holds a session-level advisory lock while it lives,
    and PostgreSQL frees it the moment the process's connection closes (kill -9, crash, host loss). Its
    heartbeat must also be older than half a lease, so a live worker whose lock connection alone dropped
    (it takes the lock again within a renewal) keeps its runs."""
    return and_(
        g.lease_owner.is_not(None),
        g.heartbeat_at < func.now() - seconds(lease_s / 2),
        presence_key(g.lease_owner).not_in(present_keys()),
    )


def run_lost(lease_s: float) -> ColumnElement[bool]:
    """A processing row whose run is lost: its lease ran out, or its worker process is gone (noticed within
    a sweep instead of a lease). Only once the database has been up longer than a lease: right after a
    PostgreSQL restart every lease looks expired and no presence lock is held yet, but the live workers
    have not had a chance to renew."""
    return and_(
        g.status == Status.PROCESSING.value,
        or_(g.lease_expires_at.is_(None), g.lease_expires_at < func.now(), worker_gone(lease_s)),
        func.pg_postmaster_start_time() < func.now() - seconds(lease_s),
    )


def tenant_active() -> ColumnElement[bool]:
    """The row's tenant is not disabled: workers start no generation of a disabled tenant (it stays pending,
    and the sweeper queues it again once the tenant is enabled)."""
    disabled = select(tenants.c.id).where(tenants.c.id == g.tenant_id, tenants.c.disabled_at.is_not(None))
    return ~disabled.exists()


def sources(step: Step) -> ColumnElement[bool]:
    return g.status.in_([s.value for s in TRANSITIONS[step].sources])


class SqlLifecycle(TenantScoped):
    """Implements app.domain.generations.LifecycleStore for one tenant."""

    def __init__(self, session: Any, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._urls = urls

    async def _apply(
        self, step: Step, generation_id: UUID, run: Run | None, *extra: ColumnElement[bool], **values: Any
    ) -> Any:
        where = [self.scope(generations), g.id == generation_id, sources(step), *extra]
        if TRANSITIONS[step].fenced:
            assert run is not None
            where.append(g.attempt == run.attempt)
        stmt = (
            update(generations)
            .where(*where)
            .values(**values, updated_at=func.now())
            .returning(*GENERATION_SELECT, g.attempt, g.failures)
        )
        return (await self.session.execute(stmt)).one_or_none()

    def _contract(self, row: Any) -> Generation | None:
        return None if row is None else to_generation(row, self._urls)

    async def claim(
        self, generation_id: UUID, *, owner: str, lease_s: float, max_failures: int
    ) -> tuple[Generation, int, int] | None:
        lapsed = and_(
            run_lost(lease_s), g.failures + 1 < max_failures
        )  # past the budget: the sweeper fails it
        row = await self._apply(
            Step.CLAIM, generation_id, None, or_(g.status == Status.PENDING.value, lapsed), tenant_active(),
            status=Status.PROCESSING.value, phase="initializing", status_message="started",
            attempt=g.attempt + 1, failures=g.failures + case((g.status == Status.PROCESSING.value, 1), else_=0),
            lease_owner=owner, lease_expires_at=func.now() + seconds(lease_s), heartbeat_at=func.now(),
            started_at=func.coalesce(g.started_at, func.now()), error_code=None,
        )  # fmt: skip
        if row is None:
            return None
        generation = to_generation(row, self._urls)
        return generation, int(row[-2]), int(row[-1])

    async def progress(
        self, run: Run, fraction: float, phase: str, message: str | None, lease_s: float
    ) -> Generation | None:
        row = await self._apply(
            Step.PROGRESS, run.generation_id, run,
            progress=func.greatest(g.progress, fraction), phase=phase, status_message=message,
            heartbeat_at=func.now(), lease_expires_at=func.now() + seconds(lease_s),
        )  # fmt: skip
        return self._contract(row)

    async def record_external_job(self, run: Run, job_id: str, lease_s: float) -> bool:
        row = await self._apply(
            Step.RECORD, run.generation_id, run,
            external_job_id=job_id, heartbeat_at=func.now(), lease_expires_at=func.now() + seconds(lease_s),
        )  # fmt: skip
        return row is not None

    async def complete(self, run: Run, outputs: StoredOutputs) -> Generation | None:
        metadata = {
            **outputs.metadata,
            **({"content_type": outputs.content_type} if outputs.content_type else {}),
        }
        row = await self._apply(
            Step.COMPLETE, run.generation_id, run,
            status=Status.COMPLETED.value, progress=1.0, phase="finalizing", status_message="completed",
            completed_at=func.now(), storage_key=outputs.storage_key, thumbnail_key=outputs.thumbnail_key,
            additional_files=outputs.additional, output_metadata=metadata, **CLEAR_LEASE,
        )  # fmt: skip
        return self._contract(row)

    async def fail(self, run: Run, code: str, reason: str) -> Generation | None:
        row = await self._apply(
            Step.FAIL, run.generation_id, run,
            status=Status.FAILED.value, error_message=reason[:2000], error_code=code, completed_at=func.now(),
            status_message=reason[:500], **CLEAR_LEASE,
        )  # fmt: skip
        return self._contract(row)

    async def requeue(self, run: Run, reason: str, *, count_failure: bool) -> Generation | None:
        step = Step.RETRY if count_failure else Step.HAND_BACK
        row = await self._apply(
            step, run.generation_id, run,
            status=Status.PENDING.value, phase="queued", status_message=reason[:500],
            failures=g.failures + (1 if count_failure else 0), **CLEAR_LEASE,
        )  # fmt: skip
        return self._contract(row)

    async def holds(self, run: Run) -> bool:
        stmt = select(g.id).where(
            self.scope(generations),
            g.id == run.generation_id,
            g.status == Status.PROCESSING.value,
            g.attempt == run.attempt,
        )
        return (await self.session.execute(stmt)).first() is not None

    async def storage_key_of(self, generation_id: UUID) -> str | None:
        """The stored artifact of a generation of this tenant (lineage inputs)."""
        stmt = select(g.storage_key).where(self.scope(generations), g.id == generation_id)
        key: str | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return key


class SqlCreditSettlement(TenantScoped):
    """Implements app.domain.generations.CreditSettlement on the tenant's ledger."""

    async def capture(self, generation_id: UUID, reason: str) -> None:
        await settle(self.session, self.tenant_id, generation_id, "capture", reason)

    async def refund(self, generation_id: UUID, reason: str) -> None:
        await settle(self.session, self.tenant_id, generation_id, "refund", reason)
