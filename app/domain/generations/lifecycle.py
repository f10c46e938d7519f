"""A generation's life on a worker, as one state machine: the allowed transitions are data (TRANSITIONS), the
store applies each one as a compare-and-set, and every write after a claim is fenced by the attempt it
claimed, so a run that lost its lease (a paused or partitioned worker) can change nothing and stops itself.

Credits follow the state: a completion captures the reservation, a failure or cancellation refunds it, at most
once each, in the same atomic step as the transition (the store settles idempotently).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from app.contracts import Generation
from app.domain.generations.ports import LifecycleStore, StoredOutputs


class Status(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL = frozenset({Status.COMPLETED, Status.FAILED, Status.CANCELLED})


class Step(StrEnum):
    """Every change of a generation's state (the API's create and cancel included)."""

    CLAIM = "claim"  # a worker takes it: pending, or processing with an expired lease
    PROGRESS = "progress"  # the holder reports progress (renews the lease)
    RECORD = "record"  # the holder records its provider job id (renews the lease)
    COMPLETE = "complete"
    FAIL = "fail"
    RETRY = "retry"  # a transient failure: back to pending, one failure counted
    HAND_BACK = "hand_back"  # a draining worker returns it: back to pending, no failure counted
    EXPIRE = "expire"  # the sweeper: a lease ran out (worker lost): pending again, or failed past the budget
    CANCEL = "cancel"  # someone asked (API)


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (progress, record) or depends on the budget (expire)
    fenced: bool  # only the run holding the claimed attempt may apply it


def _rule(sources: set[Status], target: Status | None, *, fenced: bool) -> Rule:
    return Rule(frozenset(sources), target, fenced)


P, R = Status.PENDING, Status.PROCESSING
TRANSITIONS: dict[Step, Rule] = {
    Step.CLAIM: _rule({P, R}, R, fenced=False),  # R only once its lease expired (checked by the store)
    Step.PROGRESS: _rule({R}, None, fenced=True),
    Step.RECORD: _rule({R}, None, fenced=True),
    Step.COMPLETE: _rule({R}, Status.COMPLETED, fenced=True),
    Step.FAIL: _rule({R}, Status.FAILED, fenced=True),
    Step.RETRY: _rule({R}, P, fenced=True),
    Step.HAND_BACK: _rule({R}, P, fenced=True),
    Step.EXPIRE: _rule({R}, None, fenced=False),  # pending, or failed once the failure budget is spent
    Step.CANCEL: _rule({P, R}, Status.CANCELLED, fenced=False),
}


def allowed(step: Step, status: Status) -> bool:
    return status in TRANSITIONS[step].sources


class ErrorCode(StrEnum):
    """Generation.errorCode: why a generation failed, for machines."""

    GENERATOR_FAILED = "GENERATOR_FAILED"  # the generator (or provider) refused or kept failing
    WORKER_LOST = "WORKER_LOST"  # its workers kept dying or losing their lease
    TIMED_OUT = "TIMED_OUT"
    STORAGE_FULL = "STORAGE_FULL"  # no space (ENOSPC, EDQUOT): retrying cannot help
    STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE"  # read-only or missing storage (EROFS, EACCES)


@dataclass(frozen=True)
class RetryPolicy:
    """How often a generation may fail before it is failed for good, and how long to wait in between."""

    max_failures: int = 3
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0

    def delay(self, failures: int) -> float:
        """Exponential backoff: 1, 2, 4 … seconds after the 1st, 2nd, 3rd … failure, capped."""
        return float(min(self.max_delay_s, self.base_delay_s * 2 ** max(0, failures - 1)))

    def exhausted(self, failures: int) -> bool:
        return failures >= self.max_failures


@dataclass(frozen=True)
class Run:
    """A claimed attempt: the fencing token every later write carries."""

    generation_id: UUID
    tenant_id: UUID
    attempt: int
    owner: str
    failures: int = 0  # failures before this attempt (only fenced writes change it while the run holds it)


class GenerationLifecycle:
    """The use case the jobs adapter drives (one instance per unit of work, built by app.wiring)."""

    def __init__(self, store: LifecycleStore, *, policy: RetryPolicy | None = None) -> None:
        self._store = store
        self.policy = policy or RetryPolicy()

    async def claim(self, generation_id: UUID, owner: str, lease_s: float) -> tuple[Run, Generation] | None:
        """Take the generation for this worker; None when someone else holds it or it is over."""
        claimed = await self._store.claim(
            generation_id, owner=owner, lease_s=lease_s, max_failures=self.policy.max_failures
        )
        if claimed is None:
            return None
        generation, attempt, failures = claimed
        return Run(generation_id, generation.tenant_id, attempt, owner, failures), generation

    async def progress(
        self, run: Run, fraction: float, phase: str, message: str | None, lease_s: float
    ) -> Generation | None:
        """None: the run no longer holds the generation (cancelled, or fenced off): it must stop."""
        value = min(max(fraction, 0.0), 0.99)  # 1.0 belongs to `completed`
        return await self._store.progress(run, value, phase, message, lease_s)

    async def record_external_job(self, run: Run, job_id: str, lease_s: float) -> bool:
        return await self._store.record_external_job(run, job_id, lease_s)

    async def complete(self, run: Run, outputs: StoredOutputs) -> Generation | None:
        """Completed and charged (the reservation captured) in one step; None when the run was fenced off."""
        return await self._store.complete(run, outputs, capture="generation completed")

    async def fail(self, run: Run, code: ErrorCode, reason: str) -> Generation | None:
        """Failed and refunded in one step; None when the run was fenced off."""
        return await self._store.fail(run, code.value, reason, refund="generation failed")

    async def retry_or_fail(self, run: Run, reason: str) -> tuple[Generation | None, float | None]:
        """A transient failure: back to pending while the failure budget lasts, else failed.
        Returns the row and the delay before the next attempt (None when it failed for good)."""
        failures = run.failures + 1
        if self.policy.exhausted(failures):
            failed = await self.fail(
                run, ErrorCode.GENERATOR_FAILED, f"failed after {failures} attempts: {reason}"
            )
            return failed, None
        requeued = await self._store.requeue(run, f"retrying after: {reason}", count_failure=True)
        return requeued, self.policy.delay(failures)

    async def hand_back(self, run: Run, reason: str) -> Generation | None:
        """A draining worker returns the run at once; it does not count as a failure."""
        return await self._store.requeue(run, reason, count_failure=False)

    async def holds(self, run: Run) -> bool:
        return await self._store.holds(run)

    async def storage_key_of(self, generation_id: UUID) -> str | None:
        return await self._store.storage_key_of(generation_id)
