"""The generation lifecycle as a state machine (hypothesis): whatever order workers claim, report, finish,
fail, lose their lease, hand back and users cancel in, a generation completes at most once, by the attempt
that holds it, is charged at most once (capture XOR refund), never leaves a terminal state, and a fenced run
changes nothing.

The store below applies app.domain.generations.lifecycle.TRANSITIONS the way the SQL store does (one
compare-and-set per step); tests/integration/jobs/test_leases.py checks the SQL store itself.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from app.domain.generations.lifecycle import (
    TERMINAL,
    TRANSITIONS,
    ErrorCode,
    GenerationLifecycle,
    RetryPolicy,
    Run,
    Status,
    Step,
    allowed,
)
from app.domain.generations.ports import StoredOutputs


@dataclass
class Row:
    status: Status = Status.PENDING
    attempt: int = 0
    failures: int = 0
    owner: str | None = None
    lease_valid: bool = False
    completed_by: list[int] = field(default_factory=list)


class MemoryStore:
    """LifecycleStore over one row, with the SQL store's compare-and-set rules."""

    def __init__(self, row: Row, generation: Any, credits: MemoryCredits) -> None:
        self.row = row
        self.generation = generation
        self.credits = credits

    def _holds(self, run: Run, step: Step) -> bool:
        rule = TRANSITIONS[step]
        return allowed(step, self.row.status) and (not rule.fenced or run.attempt == self.row.attempt)

    async def claim(self, generation_id: UUID, *, owner: str, lease_s: float, max_failures: int) -> Any:
        r = self.row
        lapsed = r.status == Status.PROCESSING and not r.lease_valid and r.failures + 1 < max_failures
        if not allowed(Step.CLAIM, r.status) or not (r.status == Status.PENDING or lapsed):
            return None
        r.failures += 1 if r.status == Status.PROCESSING else 0
        r.status, r.attempt, r.owner, r.lease_valid = Status.PROCESSING, r.attempt + 1, owner, True
        return self.generation, r.attempt, r.failures

    async def progress(
        self, run: Run, fraction: float, phase: str, message: str | None, lease_s: float
    ) -> Any:
        if not self._holds(run, Step.PROGRESS):
            return None
        self.row.lease_valid = True
        return self.generation

    async def record_external_job(self, run: Run, job_id: str, lease_s: float) -> bool:
        return self._holds(run, Step.RECORD)

    async def complete(self, run: Run, outputs: StoredOutputs, *, capture: str) -> Any:
        if not self._holds(run, Step.COMPLETE):
            return None
        self.row.completed_by.append(run.attempt)
        self._leave(Status.COMPLETED)
        self.credits.capture()  # in the same step, as the SQL store's one statement does
        return self.generation

    async def fail(self, run: Run, code: str, reason: str, *, refund: str) -> Any:
        if not self._holds(run, Step.FAIL):
            return None
        self._leave(Status.FAILED)
        self.credits.refund()
        return self.generation

    async def requeue(self, run: Run, reason: str, *, count_failure: bool) -> Any:
        if not self._holds(run, Step.RETRY if count_failure else Step.HAND_BACK):
            return None
        self.row.failures += 1 if count_failure else 0
        self._leave(Status.PENDING)
        return self.generation

    async def holds(self, run: Run) -> bool:
        return self.row.status == Status.PROCESSING and self.row.attempt == run.attempt

    async def storage_key_of(self, generation_id: UUID) -> str | None:
        return None

    def _leave(self, status: Status) -> None:
        self.row.status, self.row.owner, self.row.lease_valid = status, None, False


class MemoryCredits:
    def __init__(self) -> None:
        self.settled: list[str] = []

    def capture(self) -> None:
        if not self.settled:  # at most once, like the ledger's settle
            self.settled.append("capture")

    def refund(self) -> None:
        if not self.settled:
            self.settled.append("refund")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


class LifecycleMachine(RuleBasedStateMachine):
    runs = Bundle("runs")

    def __init__(self) -> None:
        super().__init__()
        self.row = Row()
        self.credits = MemoryCredits()
        self.policy = RetryPolicy(max_failures=3)
        generation = type("G", (), {"tenant_id": uuid4()})()
        self.lifecycle = GenerationLifecycle(
            MemoryStore(self.row, generation, self.credits), policy=self.policy
        )
        self.gid = uuid4()
        self.seen_terminal: Status | None = None
        self.attempts: list[int] = [0]

    @rule(target=runs, worker=st.sampled_from(["w1", "w2", "w3"]))
    def claim(self, worker: str) -> Any:
        claimed = run(self.lifecycle.claim(self.gid, worker, 5.0))
        return None if claimed is None else claimed[0]

    @rule(held=runs)
    def progress(self, held: Run | None) -> None:
        if held is not None:
            before = self.row.attempt
            result = run(self.lifecycle.progress(held, 0.5, "processing", "half", 5.0))
            assert (result is not None) == (self.row.status == Status.PROCESSING and held.attempt == before)

    @rule(held=runs)
    def complete(self, held: Run | None) -> None:
        if held is not None:
            run(self.lifecycle.complete(held, StoredOutputs(storage_key=None, content_type=None)))

    @rule(held=runs, permanent=st.booleans())
    def error(self, held: Run | None, permanent: bool) -> None:
        if held is None:
            return
        if permanent:
            run(self.lifecycle.fail(held, ErrorCode.GENERATOR_FAILED, "refused"))
        else:
            run(self.lifecycle.retry_or_fail(held, "flaky"))

    @rule(held=runs)
    def hand_back(self, held: Run | None) -> None:
        if held is not None:
            run(self.lifecycle.hand_back(held, "draining"))

    @rule()
    def lease_lapses(self) -> None:
        """The holder's worker stops renewing (killed, paused): another claim may take it over."""
        self.row.lease_valid = False

    @rule()
    def cancel(self) -> None:
        if allowed(Step.CANCEL, self.row.status):
            self.row.status, self.row.owner, self.row.lease_valid = Status.CANCELLED, None, False
            self.credits.refund()

    @invariant()
    def completed_at_most_once_by_its_holder(self) -> None:
        assert len(self.row.completed_by) <= 1
        if self.row.completed_by:
            assert self.row.completed_by[0] == self.row.attempt
            assert self.row.status == Status.COMPLETED

    @invariant()
    def charged_at_most_once_and_consistently(self) -> None:
        assert len(self.credits.settled) <= 1
        if self.credits.settled == ["capture"]:
            assert self.row.status == Status.COMPLETED
        if self.credits.settled == ["refund"]:
            assert self.row.status in {Status.FAILED, Status.CANCELLED}
        if self.row.status in TERMINAL:
            assert len(self.credits.settled) == 1

    @invariant()
    def terminal_states_are_absorbing_and_attempts_grow(self) -> None:
        if self.seen_terminal is not None:
            assert self.row.status == self.seen_terminal
        if self.row.status in TERMINAL:
            self.seen_terminal = self.row.status
        assert self.row.attempt >= self.attempts[-1]
        self.attempts.append(self.row.attempt)
        assert self.row.failures <= self.policy.max_failures

    @invariant()
    def only_processing_rows_hold_a_lease(self) -> None:
        if self.row.status != Status.PROCESSING:
            assert self.row.owner is None and not self.row.lease_valid


LifecycleMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestLifecycle = LifecycleMachine.TestCase


def test_the_transition_table_is_closed() -> None:
    """Every step names only real statuses, and the terminal ones are never a source of a worker step."""
    for step, rule_ in TRANSITIONS.items():
        assert rule_.sources <= set(Status)
        if step is not Step.CANCEL:
            assert not (rule_.sources & TERMINAL)
