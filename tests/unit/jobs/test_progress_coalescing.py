"""Progress is coalesced (app.jobs.context): at most one write per interval per run, always of the latest
report, never published after the run's final state, and dropped when the final state supersedes it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from app.domain.generations.lifecycle import Run
from app.jobs.context import RunContext


@dataclass
class FakeRuntime:
    """What RunContext needs of a WorkerRuntime: `step` records each progress write it is asked for."""

    progress_interval_s: float
    lease_s: float = 5.0
    writes: list[tuple[float, str | None]] = field(default_factory=list)
    write_s: float = 0.0  # how long a write takes (the database's round trip)

    async def step(self, tenant_id: Any, action: Any, *, deadline: float | None = None) -> Any:
        return await action(self)

    async def progress(self, run: Run, fraction: float, phase: str, message: str | None, lease: float) -> Any:
        await asyncio.sleep(self.write_s)
        self.writes.append((fraction, message))
        return None  # nothing to publish in these tests (None also means "fenced off": see below)


def _context(runtime: FakeRuntime) -> RunContext:
    run = Run(uuid4(), uuid4(), 1, "worker")
    return RunContext(runtime, run, generation=None, deadline=0.0)  # type: ignore[arg-type]


async def test_a_run_that_ends_within_the_interval_writes_no_progress() -> None:
    runtime = FakeRuntime(progress_interval_s=0.25)
    context = _context(runtime)
    await context.progress(0.9, message="step 1/1")
    await context.settle_progress()  # the run's final write comes next: it supersedes the report
    await asyncio.sleep(0.3)
    assert runtime.writes == []


async def test_reports_within_the_interval_become_one_write_of_the_latest() -> None:
    runtime = FakeRuntime(progress_interval_s=0.1)
    context = _context(runtime)
    for step in range(1, 11):
        await context.progress(step / 10 * 0.9, message=f"step {step}/10")
    await asyncio.sleep(0.25)
    assert runtime.writes == [(0.9, "step 10/10")]


async def test_a_long_run_writes_about_once_per_interval() -> None:
    runtime = FakeRuntime(progress_interval_s=0.05)
    context = _context(runtime)
    for step in range(40):  # 40 reports over ~0.4 s
        await context.progress(step / 40, message=str(step))
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    assert 4 <= len(runtime.writes) <= 10, runtime.writes
    assert runtime.writes[-1] == (39 / 40, "39")  # the latest report is never lost while the run goes on
    fractions = [f for f, _ in runtime.writes]
    assert fractions == sorted(fractions)


async def test_the_final_write_waits_for_a_progress_write_in_flight() -> None:
    """Otherwise the progress event could be published after the completion's."""
    runtime = FakeRuntime(progress_interval_s=0.0, write_s=0.1)
    context = _context(runtime)
    await context.progress(0.5, message="half")
    await asyncio.sleep(0.01)  # the write has started
    await context.settle_progress()
    assert runtime.writes == [(0.5, "half")]  # settled only once the write in flight was done


async def test_a_write_that_finds_the_run_fenced_off_marks_it_cancelled() -> None:
    runtime = FakeRuntime(progress_interval_s=0.0)
    context = _context(runtime)
    await context.progress(0.5)
    await asyncio.sleep(0.05)
    assert await context.cancelled()  # the store answered None: cancelled, or another attempt holds it
