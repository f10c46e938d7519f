"""JobDispatcher on SAQ: generation jobs are queued only after the unit of work that created them commits.

The job key is the generation id, so a repeated enqueue (e.g. by the sweeper) never runs a generation twice
at once (SAQ returns None for a key that is already queued or running; STYLE S3).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from app.contracts import Generation
from app.platform.events import publish
from app.platform.logging import get_logger
from app.platform.tracing import job_meta

log = get_logger("atelier.jobs")
RUN_GENERATION = "run_generation"
MAX_ATTEMPTS = 3
ENQUEUE_TIMEOUT_S = 2.0  # a lost enqueue is not lost work: the sweeper queues old pending rows


def job_key(generation_id: UUID) -> str:
    return f"generation:{generation_id}"


async def enqueue_generation(
    queue: Any, generation_id: UUID, tenant_id: UUID, *, job_timeout_s: int = 900, heartbeat_s: int = 60
) -> None:
    """Queue one run. Parameter names avoid SAQ's Job fields (STYLE S1): generation_id, tenant_id."""
    await queue.enqueue(
        RUN_GENERATION,
        key=job_key(generation_id),
        timeout=job_timeout_s,
        retries=MAX_ATTEMPTS,
        retry_delay=1.0,
        retry_backoff=True,
        heartbeat=heartbeat_s,  # the runner touches the job every HEARTBEAT_S; silence means a dead worker
        generation_id=str(generation_id),
        tenant_id=str(tenant_id),
        **job_meta(),  # the trace context, when tracing is on (the worker's spans join the request's trace)
    )


class QueueDispatcher:
    """Implements app.domain.generations.JobDispatcher."""

    def __init__(
        self,
        queue: Any,
        after_commit: list[Callable[[], Awaitable[None]]],
        *,
        heartbeat_s: int = 60,
        events: Any = None,
    ) -> None:
        self._queue = queue
        self._after_commit = after_commit
        self._heartbeat_s = heartbeat_s
        self._events = events

    def run_generation_after_commit(self, generation_id: UUID, tenant_id: UUID) -> None:
        if self._queue is None:
            log.warning(
                "no queue configured; the sweeper will queue the generation", generation_id=str(generation_id)
            )
            return

        async def enqueue() -> None:  # bounded: with Redis down the response must not wait for retries
            async with asyncio.timeout(ENQUEUE_TIMEOUT_S):  # no task per enqueue (wait_for makes one)
                await enqueue_generation(self._queue, generation_id, tenant_id, heartbeat_s=self._heartbeat_s)

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
            job = None if queue is None else await queue.job(job_key(cancelled.id))
            if job is not None:
                with contextlib.suppress(Exception):  # the job may finish between lookup and abort
                    await queue.abort(job, "cancelled")

        self._after_commit.append(abort)
