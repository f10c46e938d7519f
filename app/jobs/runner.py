"""The generation job: claim (a lease) → run the generator → store artifacts → complete, each step committed
before it is published and fenced by the claimed attempt.

Retries belong to the lifecycle, not to SAQ: a transient failure puts the row back to pending (one failure
counted) and queues the next attempt with backoff; a permanent one, or a spent budget, fails it; an outage
is waited out; a draining worker hands its runs back (no failure counted) and they are queued at once. The
SAQ job key carries the row's attempt, so a job lost with a dead worker never blocks the next one.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import UUID

from app.contracts import Generation
from app.domain.generations.lifecycle import ErrorCode, Run
from app.domain.generations.ports import StoredOutputs
from app.generators import Artifact, PermanentError
from app.jobs.context import RunContext, RunStopped
from app.jobs.runtime import WorkerRuntime
from app.media import thumbnail_jpeg
from app.platform import tracing
from app.platform.events import publish
from app.platform.logging import get_logger
from app.queue.dispatcher import enqueue_generation
from app.storage import StorageFault, storage_key

log = get_logger("atelier.jobs.runner")
CLAIM_OUTAGE_WAIT_S = 30.0  # PostgreSQL away at claim time: wait this long, then leave it to the sweeper
OUTAGE_ALLOWANCE_S = 60.0  # beyond the generator's timeout, how long a run's steps wait out an outage


async def run_generation(ctx: dict[str, Any], *, generation_id: str, tenant_id: str) -> str:
    runtime: WorkerRuntime = ctx["atelier"]
    gid, tid = UUID(generation_id), UUID(tenant_id)
    if runtime.draining:  # dequeued while stopping: leave it for another worker
        await requeue(runtime, gid, tid, None, delay_s=0.0, nonce=runtime.owner)
        return "skipped: worker draining"
    deadline = time.monotonic() + CLAIM_OUTAGE_WAIT_S
    with tracing.span("claim", {"atelier.generation.id": generation_id}):
        claimed = await runtime.step(
            tid, lambda lc: lc.claim(gid, runtime.owner, runtime.lease_s), deadline=deadline
        )
    if claimed is None:
        return "skipped: not claimable (running elsewhere or over)"
    run, generation = claimed
    ctx["generator"] = generation.generator_name  # the job metrics' label (app.jobs.telemetry)
    await publish(runtime.redis, generation)
    names = runtime.catalog.names()
    timeout = (
        runtime.catalog.get(generation.generator_name).timeout_seconds
        if generation.generator_name in names
        else 0
    )
    context = RunContext(runtime, run, generation, time.monotonic() + timeout + OUTAGE_ALLOWANCE_S)
    context.task = asyncio.current_task()
    runtime.runs[gid] = context
    try:
        return await _run(context, generation)
    finally:
        runtime.runs.pop(gid, None)
        await context.aclose()


async def _run(context: RunContext, claimed: Generation) -> str:
    try:
        return await _generate_and_finish(context, claimed)
    except RunStopped:
        return "stopped: no longer holds the generation"
    except asyncio.CancelledError:
        if context.stopped:  # the lease keeper found the row cancelled or taken over: nothing to write
            _swallow_cancellation()
            return "stopped: no longer holds the generation"
        if context.runtime.draining:  # the worker's shutdown grace is over
            _swallow_cancellation()
            return await _hand_back(context)
        raise  # aborted through SAQ (a cancellation): the row already says so
    except Exception as error:
        await context.settle_progress()  # the lease keeper must not interrupt what is written now
        return await _after_error(context, claimed, error)


async def _after_error(context: RunContext, claimed: Generation, error: Exception) -> str:
    """Permanent errors and full storage fail at once; anything else is transient while the budget lasts."""
    runtime, run = context.runtime, context.run
    if isinstance(error, PermanentError):
        return await _finish_failed(context, ErrorCode.GENERATOR_FAILED, str(error))
    if isinstance(error, StorageFault):
        return await _finish_failed(context, ErrorCode(error.code), str(error))
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, TimeoutError):
        reason = f"timed out after {runtime.catalog.get(claimed.generator_name).timeout_seconds:g} s"
    row, delay = await context.step(lambda lc: lc.retry_or_fail(run, reason))
    if row is None:  # cancelled (or taken over) meanwhile: that state stands
        return "stopped: no longer holds the generation"
    await publish(runtime.redis, row)
    if delay is None:
        log.warning("generation failed", generation_id=str(run.generation_id), reason=reason)
        return "failed"
    await requeue(runtime, run.generation_id, run.tenant_id, run.attempt, delay_s=delay)
    return f"retrying in {delay:g} s"


def _swallow_cancellation() -> None:
    """This run handles its cancellation itself (and may still write): clear the task's request."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


async def _generate_and_finish(context: RunContext, claimed: Generation) -> str:
    runtime = context.runtime
    if (
        claimed.generator_name not in runtime.catalog.names()
    ):  # not enabled on this worker: retrying cannot help
        raise PermanentError(f"unknown generator {claimed.generator_name!r} on this worker")
    generator = runtime.catalog.get(claimed.generator_name)
    inputs = generator.Input.model_validate(claimed.input_params)
    with tracing.span("generate", {"atelier.generator": claimed.generator_name}):  # provider HTTP calls nest
        result = await asyncio.wait_for(generator.generate(inputs, context), generator.timeout_seconds)
    # From here to the completion statement is the window in which a killed worker's finished work is done
    # again elsewhere, so nothing waits on the database in between: whether the run still holds the row is
    # asked by the (fenced) completion itself, and only what the lease keeper already knows is looked at.
    if context.known_stopped:
        return "cancelled"
    await context.settle_progress()
    first = result.outputs[0] if result.outputs else None
    thumbnail = result.thumbnail.key if result.thumbnail else await _thumbnail(context, first)
    outputs = StoredOutputs(
        storage_key=first.key if first else None,
        content_type=first.content_type if first else None,
        metadata=result.metadata,
        thumbnail_key=thumbnail,
        additional=[
            {"key": a.key, "url": a.key, "type": a.content_type, "metadata": a.metadata}
            for a in result.outputs[1:]
        ],
    )
    done = await context.step(lambda lc: lc.complete(context.run, outputs))
    if done is None:
        return "cancelled"  # cancelled (or taken over) while finishing: that state stands
    await publish(runtime.redis, done)
    return "completed"


async def _thumbnail(context: RunContext, artifact: Artifact | None) -> str | None:
    """A small JPEG of an image artifact (lists and feeds load these, not the full image)."""
    if artifact is None or not artifact.content_type.startswith("image/"):
        return None
    data = await asyncio.to_thread(thumbnail_jpeg, await context.runtime.storage.get(artifact.key))
    g = context.generation
    suffix = f"-r{context.attempt}-thumb" if context.attempt > 1 else "-thumb"
    key = storage_key(g.tenant_id, g.board_id, g.id, "jpg", suffix=suffix)
    with tracing.span("store", {"atelier.artifact.bytes": len(data), "atelier.artifact.type": "image/jpeg"}):
        return await context.runtime.storage.put(key, data, content_type="image/jpeg", artifact_type="image")


async def _hand_back(context: RunContext) -> str:
    """The worker is stopping and the grace is over: return the run (no failure counted), queue it at once."""
    run, runtime = context.run, context.runtime
    await context.settle_progress()
    row = await context.step(lambda lc: lc.hand_back(run, "handed back by a stopping worker"))
    if row is None:
        return "stopped: no longer holds the generation"
    await publish(runtime.redis, row)
    await requeue(runtime, run.generation_id, run.tenant_id, run.attempt, delay_s=0.0)
    log.info("generation handed back", generation_id=str(run.generation_id), attempt=run.attempt)
    return "handed back"


async def requeue(
    runtime: WorkerRuntime,
    generation_id: UUID,
    tenant_id: UUID,
    attempt: int | None,
    *,
    delay_s: float,
    nonce: str | None = None,
) -> None:
    """Queue the next attempt now (best effort: if Redis is away, the sweeper queues the pending row)."""
    if runtime.queue is None:
        return
    try:
        await enqueue_generation(
            runtime.queue, generation_id, tenant_id, attempt=attempt, delay_s=delay_s, nonce=nonce
        )
    except Exception as error:
        log.warning(
            "next attempt not queued; the sweeper will", generation_id=str(generation_id), error=str(error)
        )


async def _finish_failed(context: RunContext, code: ErrorCode, reason: str) -> str:
    run: Run = context.run
    failed = await context.step(lambda lc: lc.fail(run, code, reason))
    if failed is not None:
        await publish(context.runtime.redis, failed)
    log.warning("generation failed", generation_id=str(run.generation_id), code=code.value, reason=reason)
    return "failed"
