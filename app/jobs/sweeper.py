"""The sweeper: no generation is left stuck. Every ATELIER_SWEEP_INTERVAL_SECONDS each worker process
(timers aligned to the interval; concurrent sweeps are safe, every change is a compare-and-set with SKIP
LOCKED) recovers processing rows whose lease lapsed (pending again and queued at once, or failed past the
failure budget) and queues pending rows whose job was lost (Redis restarted empty, an enqueue timed out).
Every change is committed before it is published or queued."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from saq.job import Status

from app.jobs.runtime import WorkerRuntime
from app.platform.events import publish_many
from app.platform.logging import get_logger
from app.platform.metrics import SWEEPER_ACTIONS
from app.platform.outages import is_outage
from app.queue.dispatcher import enqueue_generation, job_key
from app.wiring import build_sweeper

log = get_logger("atelier.jobs.sweeper")
WAITING = frozenset({Status.NEW, Status.QUEUED})  # a job in these states will still be taken by a worker
ORPHANED_JOB_S = 30.0  # a job taken this long ago whose row is still pending lost its worker before the claim


def next_fire(now: float, interval_s: float) -> float:
    """The next multiple of the interval after `now` (epoch seconds): every process sweeps on the same grid."""
    return (now // interval_s + 1) * interval_s


async def sweep_generations(runtime: WorkerRuntime) -> dict[str, int]:
    """Recovered runs are queued first (every millisecond here delays their restart), then announced, all
    in one round trip, from the rows the recovery statement returned."""
    counts = {"requeued": 0, "failed": 0, "queued": 0}
    async with runtime.sessions() as session:
        sweeper = build_sweeper(session, urls=runtime.storage.signed_url)
        expired = await sweeper.expire_lapsed(runtime.lease_s, runtime.policy.max_failures)
        await session.commit()
        waiting = await sweeper.pending_older_than(runtime.pending_grace_s)
    for stale in expired:
        counts["failed" if stale.status == "failed" else "requeued"] += 1
    if runtime.queue is not None:
        rows = [s for s in expired if s.status == "pending"] + waiting
        counts["queued"] = await queue_again(runtime.queue, rows, lambda ids: _gone(runtime, ids))
    await publish_many(runtime.redis, [s.generation for s in expired if s.generation is not None])
    for action, count in counts.items():
        if count:
            SWEEPER_ACTIONS.labels(action).inc(count)
    if counts["requeued"] or counts["failed"]:
        log.info("sweep", **counts)
    return counts


async def _gone(runtime: WorkerRuntime, worker_ids: list[str]) -> set[str]:
    async with runtime.sessions() as session:
        return await build_sweeper(session).gone_workers(worker_ids, runtime.lease_s)


async def queue_again(
    queue: Any, rows: list[Any], gone: Callable[[list[str]], Awaitable[set[str]]] | None = None
) -> int:
    """Queue the next attempt of each row whose job is really gone; returns how many were queued.

    One MGET (SAQ's public `Queue.jobs`) tells which: a job still waiting (queued or scheduled) or held by a
    live worker is left alone, so a sweep over 500 pending rows whose jobs merely wait behind a busy queue
    costs one round trip instead of 501. A missing job (Redis restarted empty, an enqueue lost) or a finished
    one is queued again (idempotent: the key carries the attempt). A job with that key still ACTIVE while its
    row never left `pending` was taken by a worker that died before claiming: it would block the key for an
    hour, so it is finished (aborted) first — at once when its worker's presence lock is gone (`gone`), else
    once it was taken ORPHANED_JOB_S ago (a worker that hangs)."""
    if not rows:
        return 0
    jobs = await queue.jobs([job_key(r.generation_id, r.attempt) for r in rows])  # one round trip
    active = [job for job in jobs if job is not None and job.status == Status.ACTIVE]
    workers = sorted({str(job.worker_id) for job in active if job.worker_id})
    dead = await gone(workers) if gone is not None and workers else set()
    now_ms = time.time() * 1000
    again = []
    for row, job in zip(rows, jobs, strict=True):
        if job is not None and job.status in WAITING:
            continue  # its job is still queued: a worker will take it
        if job is not None and job.status == Status.ACTIVE:
            if str(job.worker_id) not in dead and now_ms - job.started <= ORPHANED_JOB_S * 1000:
                continue  # a live worker took it and is about to claim the row
            log.warning(
                "job lost with its worker before the claim; queued again",
                generation_id=str(row.generation_id),
            )
        again.append(_enqueue_again(queue, row, job))
    # at once, not one round trip after another: a dead worker's runs restart sooner
    failed = [r for r in await asyncio.gather(*again, return_exceptions=True) if isinstance(r, Exception)]
    if failed:  # Redis away: the next sweep tries again (sweep_forever logs it)
        raise failed[0]
    return len(again)


async def _enqueue_again(queue: Any, row: Any, job: Any) -> None:
    if job is not None and job.status == Status.ACTIVE:  # finished first, or it would keep its key
        await job.finish(Status.ABORTED, error="its worker was lost before claiming the generation")
    await enqueue_generation(queue, row.generation_id, row.tenant_id, attempt=row.attempt)


async def sweep_forever(runtime: WorkerRuntime, interval_s: float) -> None:
    """Runs for the worker's lifetime; an outage skips a round, never ends the loop."""
    while True:
        await asyncio.sleep(max(0.0, next_fire(time.time(), interval_s) - time.time()))
        try:
            await sweep_generations(runtime)
        except Exception as error:
            if is_outage(error):
                log.warning("sweep skipped: a server is unreachable", error=type(error).__name__)
            else:
                log.exception("sweep failed")
