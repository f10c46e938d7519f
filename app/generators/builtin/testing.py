"""atelier-test: a generator with controllable duration, progress steps and failure modes (tests, demos)."""

from __future__ import annotations

import asyncio
import json
import os
import time
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.generators.base import Generator, GeneratorContext, GeneratorResult, PermanentError


class TestInput(BaseModel):
    duration_seconds: float = Field(default=0.2, ge=0, le=600)
    steps: int = Field(default=4, ge=1, le=1000)
    fail: Literal["never", "transient", "permanent"] = "never"
    text: str = Field(default="ok", max_length=10_000)
    cost: float = Field(default=0, ge=0, le=1000, description="What estimate_cost reports (credit tests).")


class TransientTestError(RuntimeError):
    """Retrying may help (a flaky provider, a timeout)."""


class TestGenerator(Generator):
    __test__ = False  # not a pytest class
    name = "atelier-test"
    artifact_type = "text"
    description = "For tests and demos: sleeps, reports progress in steps, and can fail on purpose."
    Input = TestInput

    def estimate_cost(self, inputs: BaseModel) -> Decimal:
        return Decimal(str(getattr(inputs, "cost", 0)))

    async def generate(self, inputs: TestInput, context: GeneratorContext) -> GeneratorResult:
        observe(context, "start", 0)
        for step in range(1, inputs.steps + 1):
            if await context.cancelled():
                return GeneratorResult(outputs=[])
            await asyncio.sleep(inputs.duration_seconds / inputs.steps)
            observe(context, "step", step)
            await context.progress(step / inputs.steps * 0.9, message=f"step {step}/{inputs.steps}")
        observe(context, "end", inputs.steps)
        if inputs.fail == "permanent":
            raise PermanentError("asked to fail (permanent)")
        if inputs.fail == "transient":
            raise TransientTestError("asked to fail (transient)")
        artifact = await context.store(
            inputs.text.encode(), content_type="text/plain; charset=utf-8", extension="txt", metadata={}
        )
        return GeneratorResult(outputs=[artifact])


def observe(context: Any, event: str, step: int) -> None:
    """With ATELIER_TEST_RUN_LOG set, append what this run did when (the fault suite proves from it that no
    run executes after another attempt of the same generation claimed it). One short O_APPEND write per line,
    so lines from several worker processes never interleave."""
    path = os.environ.get("ATELIER_TEST_RUN_LOG")
    run = getattr(context, "run", None)
    if not path or run is None:
        return
    line = json.dumps(
        {
            "g": str(run.generation_id),
            "a": run.attempt,
            "e": event,
            "n": step,
            "t": time.time(),
            "pid": os.getpid(),
        }
    )
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
