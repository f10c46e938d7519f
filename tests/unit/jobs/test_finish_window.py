"""A finished generator's completion is the next statement (app.jobs.runner): a worker killed between the
generator's return and that commit has its finished work done again elsewhere, so nothing may wait on the
database in between (the completion is fenced: it finds out itself whether the run still holds the row)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from pydantic import BaseModel

from app.domain.generations.lifecycle import Run
from app.generators import GeneratorResult
from app.jobs.context import CANCEL_POLL_S, RunContext
from app.jobs.runner import _generate_and_finish


class NoInput(BaseModel):
    pass


@dataclass
class Recorder:
    """A WorkerRuntime's `step` and the lifecycle behind it: records every statement a run asks for."""

    statements: list[str] = field(default_factory=list)
    progress_interval_s: float = 0.0
    lease_s: float = 5.0
    catalog: Any = None

    async def step(self, tenant_id: Any, action: Any, *, deadline: float | None = None) -> Any:
        return await action(self)

    async def holds(self, run: Run) -> bool:
        self.statements.append("holds")
        return True

    async def complete(self, run: Run, outputs: Any) -> Any:
        self.statements.append("complete")
        return None  # as if the run was fenced off meanwhile: nothing to publish


async def test_after_the_generator_returns_the_completion_is_the_only_statement() -> None:
    runtime = Recorder()

    class Slow:
        Input, timeout_seconds = NoInput, 30

        async def generate(self, inputs: Any, context: Any) -> GeneratorResult:
            await asyncio.sleep(CANCEL_POLL_S + 0.1)  # long enough that a cancellation check would query
            runtime.statements.append("generator returned")
            return GeneratorResult(outputs=[])

    runtime.catalog = SimpleNamespace(names=lambda: {"slow"}, get=lambda name: Slow())
    generation = SimpleNamespace(generator_name="slow", input_params={})
    context = RunContext(runtime, Run(uuid4(), uuid4(), 1, "worker"), generation, deadline=0.0)  # type: ignore[arg-type]

    assert await _generate_and_finish(context, generation) == "cancelled"  # type: ignore[arg-type]
    assert runtime.statements == ["generator returned", "complete"]


async def test_a_run_the_lease_keeper_stopped_writes_nothing_more() -> None:
    runtime = Recorder()

    class Quick:
        Input, timeout_seconds = NoInput, 30

        async def generate(self, inputs: Any, context: Any) -> GeneratorResult:
            context.stop()  # the lease keeper found the row no longer this run's
            return GeneratorResult(outputs=[])

    runtime.catalog = SimpleNamespace(names=lambda: {"quick"}, get=lambda name: Quick())
    generation = SimpleNamespace(generator_name="quick", input_params={})
    context = RunContext(runtime, Run(uuid4(), uuid4(), 1, "worker"), generation, deadline=0.0)  # type: ignore[arg-type]
    context.task = None  # stop() only cancels a task it was given

    assert await _generate_and_finish(context, generation) == "cancelled"  # type: ignore[arg-type]
    assert runtime.statements == []
