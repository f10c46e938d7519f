"""JobDispatcher on SAQ: generation jobs are queued only after the unit of work that created them commits.

The job key is the generation id and the row's attempt count: a repeated enqueue for the same attempt (the
sweeper's) is a no-op while that job is queued or running (SAQ refuses a key it holds; STYLE S3), and a job
lost with a dead worker (still "active" in Redis) never blocks the next attempt's job. Running once is the
database's job, not the queue's: a claim is a compare-and-set on the row (app.domain.generations.lifecycle).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from app.contracts import Generation
from app.platform.events import publish
from app.platform.logging import get_logger

log = get_logger("atelier.jobs")
RUN_GENERATION = "run_generation"
ENQUEUE_TIMEOUT_S = 2.0  # a lost enqueue is not lost work: the sweeper queues old pending rows
ABORT_KEYS = (
    8  # attempts whose job a cancellation looks for (claims beyond that are stopped by the lease keeper)
)
JOB_TIMEOUT_S = 3600  # SAQ's last resort only: generators time out themselves, leases find dead workers


def job_key(generation_id: UUID, attempt: int | None = 0, nonce: str | None = None) -> str:
    """The key of the job that makes claim number attempt+1 (attempt = the row's attempt when queued)."""
    key = f"generation:{generation_id}:{attempt or 0}"
    return f"{key}:{nonce}" if nonce else key


async def enqueue_generation(
    queue: Any,
    generation_id: UUID,
    tenant_id: UUID,
    *,
    attempt: int | None = 0,
    delay_s: float = 0.0,
    nonce: str | None = None,
) -> None:
    """Queue one run. Parameter names avoid SAQ's Job fields (STYLE S1): generation_id, tenant_id.

    SAQ neither retries (retries=1: one try per job; the lifecycle counts failures and queues the next
    attempt) nor watches a heartbeat (leases on the row do), so its bookkeeping stays out of the way."""
    await queue.enqueue(
        RUN_GENERATION,
        key=job_key(generation_id, attempt, nonce),
        timeout=JOB_TIMEOUT_S,
        retries=1,
        heartbeat=0,
        scheduled=int(time.time() + delay_s) if delay_s > 0 else 0,
        generation_id=str(generation_id),
        tenant_id=str(tenant_id),
    )


class QueueDispatcher:
    """Implements app.domain.generations.JobDispatcher."""

    def __init__(
        self,
        queue: Any,
        after_commit: list[Callable[[], Awaitable[None]]],
        *,
        events: Any = None,
    ) -> None:
        self._queue = queue
        self._after_commit = after_commit
        self._events = events

    def run_generation_after_commit(self, generation_id: UUID, tenant_id: UUID) -> None:
        if self._queue is None:
            log.warning(
                "no queue configured; the sweeper will queue the generation", generation_id=str(generation_id)
            )
            return

        async def enqueue() -> None:  # bounded: with Redis down the response must not wait for retries
            async with asyncio.timeout(ENQUEUE_TIMEOUT_S):  # no task per enqueue (wait_for makes one)
                await enqueue_generation(self._queue, generation_id, tenant_id)

        self._after_commit.append(enqueue)

    async def abort_generation(self, cancelled: Generation) -> None:
        """Announce the committed cancellation (progress streams end on it; the worker, once aborted, says
        nothing) and stop a running job soon (the worker never overwrites the cancelled row)."""
        queue, events = self._queue, self._events

        async def abort() -> None:
            if events is not None:
                with contextlib.suppress(
                    Exception
                ):  # Redis down: the row is right; streams see it on reconnect
                    await publish(events, cancelled)
            if queue is None:
                return
            keys = [job_key(cancelled.id, attempt) for attempt in range(ABORT_KEYS)]  # one MGET
            with contextlib.suppress(Exception):  # Redis away: the lease keeper stops the run within a beat
                for job in await queue.jobs(keys):
                    if job is not None and not job.completed:
                        with contextlib.suppress(Exception):  # it may finish between lookup and abort
                            await queue.abort(job, "cancelled")

        self._after_commit.append(abort)
