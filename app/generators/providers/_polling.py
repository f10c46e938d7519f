"""Following a provider-side job until it ends: polling with backoff, webhook events when they are on, progress
on the 0..1 scale, and cancellation that reaches the provider (within CHECK_S + one HTTP call)."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from app.generators.base import GeneratorContext, PermanentError
from app.platform.logging import get_logger

log = get_logger("atelier.generators.providers")
Status = Literal["queued", "running", "succeeded", "failed", "canceled"]
CHECK_S = 0.5  # how often cancellation and webhook events are looked at while waiting for the next poll
CANCEL_TIMEOUT_S = 2.0
PERCENT = re.compile(r"(\d{1,3})%\|")  # tqdm bars in model logs: " 45%|████▌     | 9/20 [00:02<00:03]"


def log_percent(logs: str) -> int | None:
    """The last progress-bar percentage in a model's logs (cheap, and most diffusion models print one)."""
    found = PERCENT.findall(logs)
    return min(int(found[-1]), 100) if found else None


@dataclass(frozen=True)
class JobState:
    """A provider job's state in one vocabulary (each adapter maps its own onto it)."""

    status: Status
    fraction: float | None = None  # progress within the run, when the provider tells (logs, percentages)
    message: str | None = None
    output: Any = None
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.status in ("succeeded", "failed", "canceled")


class RemoteJob(Protocol):
    provider: str
    id: str

    async def refresh(self) -> JobState: ...

    def from_event(self, payload: dict[str, Any]) -> JobState | None:
        """The state a verified webhook payload announces (None if it says nothing useful)."""
        ...

    async def cancel(self) -> None: ...


@dataclass(frozen=True)
class Pacing:
    initial_s: float = 1.0
    max_s: float = 10.0
    factor: float = 1.5
    webhook_s: float | None = None  # with webhooks on: a slow fallback poll, events do the rest
    deadline_s: float = 600.0


class RunCancelled(Exception):
    """The generation was cancelled; the provider job has been asked to stop too."""


async def cancel_quietly(job: RemoteJob) -> None:
    """Ask the provider to stop (bounded: a cancel must never hang the worker)."""
    try:
        await asyncio.wait_for(job.cancel(), CANCEL_TIMEOUT_S)
    except Exception as error:  # best effort: the generation is cancelled here whatever the provider says
        log.warning("provider cancel failed", provider=job.provider, job_id=job.id, error=repr(error))


async def follow(job: RemoteJob, context: GeneratorContext, pacing: Pacing) -> JobState:
    """The job's final state. Raises RunCancelled when the generation is cancelled and PermanentError past
    the deadline; on task cancellation (abort, timeout, shutdown) the provider job is cancelled first."""
    try:
        return await _follow(job, context, pacing)
    except asyncio.CancelledError:
        await cancel_quietly(job)
        raise


async def _follow(job: RemoteJob, context: GeneratorContext, pacing: Pacing) -> JobState:
    started = time.monotonic()
    interval, next_poll = pacing.initial_s, started
    shown: tuple[float, str] | None = None
    while True:
        if await context.cancelled():
            await cancel_quietly(job)
            raise RunCancelled
        now = time.monotonic()
        if now - started > pacing.deadline_s:
            await cancel_quietly(job)
            raise PermanentError(f"{job.provider} did not finish within {pacing.deadline_s:g} s")
        state: JobState | None = None
        if now >= next_poll:
            state = await job.refresh()
            next_poll = now + (pacing.webhook_s or interval)
            interval = min(interval * pacing.factor, pacing.max_s)
        elif pacing.webhook_s is not None:
            payload = await context.provider_event(min(CHECK_S, next_poll - now))
            state = job.from_event(payload) if payload is not None else None
        else:
            await asyncio.sleep(min(CHECK_S, next_poll - now))
        if state is None:
            continue
        if state.done:
            return state
        shown = await _report(context, state, shown)


async def _report(
    context: GeneratorContext, state: JobState, shown: tuple[float, str] | None
) -> tuple[float, str]:
    """Publish progress only when it changed (every publication is a committed row update)."""
    if state.status == "queued":
        fraction, message = 0.05, state.message or "queued at the provider"
    else:
        fraction = 0.1 + 0.75 * min(max(state.fraction or 0.0, 0.0), 1.0)
        message = state.message or "running at the provider"
    now = (round(fraction, 3), message)
    if now != shown:
        await context.progress(now[0], phase="processing", message=message)
    return now
