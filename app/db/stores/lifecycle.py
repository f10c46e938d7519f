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
    Select,
    Update,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import Interval

from app.contracts import Generation
from app.db.autocommit import AtomicStatement
from app.db.models import Tenant
from app.db.stores._scoped import table_of
from app.db.stores.credits import settle_after
from app.db.stores.generations import GENERATION_SELECT, UrlSigner, generations, to_generation
from app.domain.generations.lifecycle import TRANSITIONS, Run, Status, Step
from app.domain.generations.ports import StoredOutputs

g = generations.c
tenants = table_of(Tenant)
CLEAR_LEASE = {"lease_owner": None, "lease_expires_at": None}


def seconds(value: float | ColumnElement[Any]) -> ColumnElement[Any]:
    """An interval of `value` seconds (a float, or an Interval bind parameter of a built-once statement)."""
    if isinstance(value, ColumnElement):
        return value
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


def worker_gone(guard: float | ColumnElement[Any]) -> ColumnElement[bool]:
    """The row's worker process is gone: every worker holds a session-level advisory lock while it lives,
    and PostgreSQL frees it the moment the process's connection closes (kill -9, crash, host loss). Its
    heartbeat must also be older than `guard` (presence_guard: a third of a lease), so a live worker whose lock
    connection alone dropped (it takes the lock again at its next renewal, every fifth) keeps its runs."""
    return and_(
        g.lease_owner.is_not(None),
        g.heartbeat_at < func.now() - seconds(guard),
        presence_key(g.lease_owner).not_in(present_keys()),
    )


def presence_guard(lease_s: float) -> float:
    """How old a heartbeat must be before a missing presence lock counts: a third of a lease, while live
    workers renew (and re-take a dropped lock) every fifth (app.jobs.leases.RENEWALS_PER_LEASE)."""
    return lease_s / 3


def run_lost(
    lease: float | ColumnElement[Any], guard: float | ColumnElement[Any] | None = None
) -> ColumnElement[bool]:
    """A processing row whose run is lost: its lease ran out, or its worker process is gone (noticed within
    a sweep instead of a lease). Only once the database has been up longer than a lease: right after a
    PostgreSQL restart every lease looks expired and no presence lock is held yet, but the live workers
    have not had a chance to renew."""
    if guard is None:
        assert isinstance(lease, float | int)
        guard = presence_guard(float(lease))
    return and_(
        g.status == Status.PROCESSING.value,
        or_(g.lease_expires_at.is_(None), g.lease_expires_at < func.now(), worker_gone(guard)),
        func.pg_postmaster_start_time() < func.now() - seconds(lease),
    )


def tenant_active() -> ColumnElement[bool]:
    """The row's tenant is not disabled: workers start no generation of a disabled tenant (it stays pending,
    and the sweeper queues it again once the tenant is enabled)."""
    disabled = select(tenants.c.id).where(tenants.c.id == g.tenant_id, tenants.c.disabled_at.is_not(None))
    return ~disabled.exists()


def sources(step: Step) -> ColumnElement[bool]:
    """The step's source statuses (plain equalities: an IN list would be expanded anew on every call)."""
    return or_(*(g.status == s.value for s in sorted(TRANSITIONS[step].sources)))


LEASE = bindparam("lease", type_=Interval())  # every statement that renews or judges a lease
RETURNING = (*GENERATION_SELECT, g.attempt, g.failures)


def _step(step: Step, *extra: ColumnElement[bool], **values: Any) -> Update:
    """One transition as a compare-and-set, built once: `tenant`, `gid` and, for a fenced step, `fence` (the
    claimed attempt) are bound per call (a bind may not share a column's name)."""
    where = [g.tenant_id == bindparam("tenant"), g.id == bindparam("gid"), sources(step), *extra]
    if TRANSITIONS[step].fenced:
        where.append(g.attempt == bindparam("fence"))
    return update(generations).where(*where).values(**values, updated_at=func.now()).returning(*RETURNING)


def _settling(changed: Update, kind: str) -> Select[Any]:
    """The transition and its credit settlement (`kind`: capture or refund, reason bound as `settle_reason`)
    in ONE statement: the ledger row is written only when the transition matched, and at most once."""
    done = changed.cte("done")
    settled = settle_after(done.c.id, kind).cte("settled")
    return select(*done.c).add_cte(settled)


_LAPSED = and_(
    run_lost(LEASE, bindparam("guard", type_=Interval())), g.failures + 1 < bindparam("max_failures")
)  # past the budget: the sweeper fails it
_CLAIM = _step(
    Step.CLAIM, or_(g.status == Status.PENDING.value, _LAPSED), tenant_active(),
    status=Status.PROCESSING.value, phase="initializing", status_message="started",
    attempt=g.attempt + 1, failures=g.failures + case((g.status == Status.PROCESSING.value, 1), else_=0),
    lease_owner=bindparam("owner"), lease_expires_at=func.now() + LEASE, heartbeat_at=func.now(),
    started_at=func.coalesce(g.started_at, func.now()), error_code=None,
)  # fmt: skip
_PROGRESS = _step(
    Step.PROGRESS,
    progress=func.greatest(g.progress, bindparam("fraction")), phase=bindparam("new_phase"),
    status_message=bindparam("message"), heartbeat_at=func.now(), lease_expires_at=func.now() + LEASE,
)  # fmt: skip
_RECORD = _step(
    Step.RECORD,
    external_job_id=bindparam("job_id"), heartbeat_at=func.now(), lease_expires_at=func.now() + LEASE,
)  # fmt: skip
_COMPLETE = _settling(
    _step(
        Step.COMPLETE,
        status=Status.COMPLETED.value,
        progress=1.0,
        phase="finalizing",
        status_message="completed",
        completed_at=func.now(),
        storage_key=bindparam("out_key"),
        thumbnail_key=bindparam("out_thumbnail"),
        additional_files=bindparam("additional"),
        output_metadata=bindparam("metadata"),
        **CLEAR_LEASE,
    ),
    "capture",
)
_FAIL = _settling(
    _step(
        Step.FAIL,
        status=Status.FAILED.value,
        error_message=bindparam("error"),
        error_code=bindparam("code"),
        completed_at=func.now(),
        status_message=bindparam("message"),
        **CLEAR_LEASE,
    ),
    "refund",
)
_REQUEUE = {
    counted: _step(
        Step.RETRY if counted else Step.HAND_BACK,
        status=Status.PENDING.value,
        phase="queued",
        status_message=bindparam("message"),
        failures=g.failures + (1 if counted else 0),
        **CLEAR_LEASE,
    )
    for counted in (True, False)
}
_HOLDS = select(g.id).where(
    g.tenant_id == bindparam("tenant"),
    g.id == bindparam("gid"),
    g.status == Status.PROCESSING.value,
    g.attempt == bindparam("fence"),
)
_STORAGE_KEY = select(g.storage_key).where(g.tenant_id == bindparam("tenant"), g.id == bindparam("gid"))
CLAIM, PROGRESS, RECORD, COMPLETE, FAIL, HOLDS, STORAGE_KEY = (
    AtomicStatement(statement)
    for statement in (_CLAIM, _PROGRESS, _RECORD, _COMPLETE, _FAIL, _HOLDS, _STORAGE_KEY)
)
REQUEUE = {counted: AtomicStatement(statement) for counted, statement in _REQUEUE.items()}


class SqlLifecycle:
    """Implements app.domain.generations.LifecycleStore for one tenant. Every method is ONE statement, built
    once at import (binding per call is all a step costs on the client), so a step needs no transaction of
    its own: it runs in autocommit on the connection given, one round trip each. Tenant scoping is in every
    statement (`tenant = :tenant`), and an AtomicStatement refuses to run with a bind missing."""

    def __init__(
        self, connection: AsyncConnection, tenant_id: UUID, *, urls: UrlSigner | None = None
    ) -> None:
        self.connection = connection
        self.tenant_id = tenant_id
        self._urls = urls

    async def _row(
        self, statement: AtomicStatement, run: Run | None, generation_id: UUID, **params: Any
    ) -> Any:
        params.update(tenant=self.tenant_id, gid=generation_id)
        if run is not None:
            params["fence"] = run.attempt
        return await statement.one_or_none(self.connection, params)

    def _contract(self, row: Any) -> Generation | None:
        return None if row is None else to_generation(row, self._urls)

    async def claim(
        self, generation_id: UUID, *, owner: str, lease_s: float, max_failures: int
    ) -> tuple[Generation, int, int] | None:
        row = await self._row(
            CLAIM, None, generation_id, owner=owner, lease=timedelta(seconds=lease_s),
            guard=timedelta(seconds=presence_guard(lease_s)), max_failures=max_failures,
        )  # fmt: skip
        if row is None:
            return None
        generation = to_generation(row, self._urls)
        return generation, int(row[-2]), int(row[-1])

    async def progress(
        self, run: Run, fraction: float, phase: str, message: str | None, lease_s: float
    ) -> Generation | None:
        row = await self._row(
            PROGRESS, run, run.generation_id, fraction=fraction, new_phase=phase, message=message,
            lease=timedelta(seconds=lease_s),
        )  # fmt: skip
        return self._contract(row)

    async def record_external_job(self, run: Run, job_id: str, lease_s: float) -> bool:
        row = await self._row(RECORD, run, run.generation_id, job_id=job_id, lease=timedelta(seconds=lease_s))
        return row is not None

    async def complete(self, run: Run, outputs: StoredOutputs, *, capture: str) -> Generation | None:
        metadata = {
            **outputs.metadata,
            **({"content_type": outputs.content_type} if outputs.content_type else {}),
        }
        row = await self._row(
            COMPLETE, run, run.generation_id, out_key=outputs.storage_key,
            out_thumbnail=outputs.thumbnail_key, additional=outputs.additional, metadata=metadata,
            settle_reason=capture[:500],
        )  # fmt: skip
        return self._contract(row)

    async def fail(self, run: Run, code: str, reason: str, *, refund: str) -> Generation | None:
        row = await self._row(
            FAIL, run, run.generation_id, error=reason[:2000], code=code, message=reason[:500],
            settle_reason=refund[:500],
        )  # fmt: skip
        return self._contract(row)

    async def requeue(self, run: Run, reason: str, *, count_failure: bool) -> Generation | None:
        row = await self._row(REQUEUE[count_failure], run, run.generation_id, message=reason[:500])
        return self._contract(row)

    async def holds(self, run: Run) -> bool:
        return await self._row(HOLDS, run, run.generation_id) is not None

    async def storage_key_of(self, generation_id: UUID) -> str | None:
        """The stored artifact of a generation of this tenant (lineage inputs)."""
        row = await self._row(STORAGE_KEY, None, generation_id)
        return None if row is None else row[0]
