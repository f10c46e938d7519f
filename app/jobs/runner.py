"""The generation job: claim → run the generator → store artifacts → complete, each step committed before it
is published. Transient failures go back to the queue (SAQ retries with backoff) until the last attempt;
permanent ones fail at once; a cancellation is never overwritten."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import Generation
from app.db.stores.lifecycle import SqlLifecycle
from app.generators import Artifact, GeneratorRegistry, PermanentError
from app.generators.base import PHASES, Phase
from app.media import thumbnail_jpeg
from app.platform.events import ProviderEvents, publish
from app.platform.logging import get_logger
from app.storage import Storage, storage_key

log = get_logger("atelier.jobs.runner")
CANCEL_POLL_S = 0.5
ROUTED_KINDS = {"image", "video", "audio", "text"}  # storage routing rules match these artifact types


@dataclass
class WorkerRuntime:
    """What a worker process holds for its jobs (built by the worker's startup hook)."""

    sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    catalog: GeneratorRegistry
    storage: Storage
    redis: Any
    job_heartbeat_s: int = 60
    pending_grace_s: float = 30.0


async def in_transaction(
    runtime: WorkerRuntime, tenant_id: UUID, action: Callable[[SqlLifecycle], Any]
) -> Any:
    """One lifecycle step in its own committed transaction (committed before anything is published)."""
    async with runtime.sessions() as session:
        result = await action(SqlLifecycle(session, tenant_id, urls=runtime.storage.signed_url))
        await session.commit()
    return result


class RunContext:
    """The GeneratorContext a running generator gets."""

    def __init__(self, runtime: WorkerRuntime, generation: Generation) -> None:
        self.runtime = runtime
        self.generation = generation
        self.outputs: list[Artifact] = []
        self._checked_at = time.monotonic()  # the claim just saw it processing: no query for CANCEL_POLL_S
        self._cancelled = False
        self._events: ProviderEvents | None = None

    async def step(self, action: Callable[[SqlLifecycle], Any]) -> Any:
        return await in_transaction(self.runtime, self.generation.tenant_id, action)

    async def progress(
        self, fraction: float, *, phase: Phase = "processing", message: str | None = None
    ) -> None:
        if phase not in PHASES:  # a plugin's mistake; the column's CHECK would refuse it on every retry
            raise PermanentError(f"unknown progress phase {phase!r} (expected one of {sorted(PHASES)})")
        updated = await self.step(lambda lc: lc.progress(self.generation.id, fraction, phase, message))
        if updated is None:
            self._cancelled = True  # no longer processing: it was cancelled
            return
        await publish(self.runtime.redis, updated)

    async def store(
        self, data: bytes, *, content_type: str, extension: str, metadata: dict[str, Any]
    ) -> Artifact:
        g = self.generation
        suffix = "" if not self.outputs else f"-{len(self.outputs)}"
        key = storage_key(g.tenant_id, g.board_id, g.id, extension, suffix=suffix)
        kind = content_type.partition("/")[0]  # a video generator's poster frame is routed as an image
        if kind not in ROUTED_KINDS:
            kind = self.runtime.catalog.get(g.generator_name).artifact_type
        key = await self.runtime.storage.put(key, data, content_type=content_type, artifact_type=kind)
        artifact = Artifact(
            key=key, url=self.runtime.storage.signed_url(key), content_type=content_type, metadata=metadata
        )
        self.outputs.append(artifact)
        return artifact

    async def resolve_artifact(self, generation_id: UUID) -> Path:
        key = await self.step(lambda lc: lc.storage_key_of(generation_id))
        if not key:
            raise PermanentError(f"input generation {generation_id} has no stored artifact")
        return await self.runtime.storage.materialize(key)

    async def set_external_job_id(self, job_id: str) -> None:
        await self._listen()  # before the id is committed: a webhook matched by it cannot be missed
        await self.step(lambda lc: lc.set_external_job_id(self.generation.id, job_id))

    def previous_external_job_id(self) -> str | None:
        return self.generation.external_job_id

    async def provider_event(self, wait_s: float) -> dict[str, Any] | None:
        """A verified webhook payload the API relayed for this generation (app.platform.events)."""
        subscription = await self._listen()
        return await subscription.next(wait_s)

    async def _listen(self) -> ProviderEvents:
        if self._events is None:
            self._events = await ProviderEvents(self.runtime.redis, self.generation.id).open()
        return self._events

    async def aclose(self) -> None:
        if self._events is not None:
            with contextlib.suppress(Exception):  # never mask how the run ended
                await self._events.close()

    async def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._checked_at >= CANCEL_POLL_S:
            self._checked_at = now
            status = await self.step(lambda lc: lc.status(self.generation.id))
            self._cancelled = status != "processing"
        return self._cancelled


async def run_generation(ctx: dict[str, Any], *, generation_id: str, tenant_id: str) -> str:
    runtime: WorkerRuntime = ctx["atelier"]
    job = ctx.get("job")
    gid, tid = UUID(generation_id), UUID(tenant_id)
    claimed = await in_transaction(runtime, tid, lambda lc: lc.claim(gid))
    if claimed is None:
        return "skipped: no longer pending"
    ctx["generator"] = claimed.generator_name  # the job metrics' label (app.jobs.telemetry)
    await publish(runtime.redis, claimed)
    context = RunContext(runtime, claimed)
    beat = asyncio.create_task(_heartbeat(context, job), name=f"heartbeat-{gid}")
    try:
        return await _run_and_finish(context, runtime, claimed)
    except asyncio.CancelledError:
        raise  # aborted (cancelled): the row already says so
    except PermanentError as error:
        return await _finish_failed(context, str(error))
    except Exception as error:  # transient unless proven otherwise: retry while attempts remain
        last = job is None or job.attempts >= job.retries
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        if last:
            return await _finish_failed(context, f"failed after {claimed_attempts(job)} attempts: {reason}")
        await context.step(lambda lc: lc.requeue(gid, f"retrying after: {reason}"))
        raise
    finally:
        beat.cancel()
        await context.aclose()


async def _run_and_finish(context: RunContext, runtime: WorkerRuntime, claimed: Generation) -> str:
    generator = runtime.catalog.get(claimed.generator_name)
    inputs = generator.Input.model_validate(claimed.input_params)
    result = await asyncio.wait_for(generator.generate(inputs, context), generator.timeout_seconds)
    if await context.cancelled():
        return "cancelled"
    first = result.outputs[0] if result.outputs else None
    thumbnail = result.thumbnail.key if result.thumbnail else await _thumbnail(context, first)
    extra = [
        {"key": a.key, "url": a.key, "type": a.content_type, "metadata": a.metadata}
        for a in result.outputs[1:]
    ]
    done = await context.step(
        lambda lc: lc.complete(
            claimed.id,
            storage_key=first.key if first else None,
            thumbnail_key=thumbnail,
            content_type=first.content_type if first else None,
            metadata=result.metadata,
            additional=extra,
        )
    )
    if done is None:
        return "cancelled"  # cancelled while finishing: the cancellation stands
    await publish(runtime.redis, done)
    return "completed"


HEARTBEAT_S = 10.0


async def _thumbnail(context: RunContext, artifact: Artifact | None) -> str | None:
    """A small JPEG of an image artifact (lists and feeds load these, not the full image)."""
    if artifact is None or not artifact.content_type.startswith("image/"):
        return None
    data = await asyncio.to_thread(thumbnail_jpeg, await context.runtime.storage.get(artifact.key))
    g = context.generation
    key = storage_key(g.tenant_id, g.board_id, g.id, "jpg", suffix="-thumb")
    return await context.runtime.storage.put(key, data, content_type="image/jpeg", artifact_type="image")


async def _heartbeat(context: RunContext, job: Any) -> None:
    """Prove the worker is alive while a generator runs: on the row (our sweeper's signal) and on the SAQ job
    (SAQ's heartbeat is manual; a job silent past its heartbeat is swept as stuck and retried)."""
    interval = min(HEARTBEAT_S, max(0.5, (getattr(job, "heartbeat", 0) or HEARTBEAT_S * 3) / 3))
    while True:
        await asyncio.sleep(interval)
        await context.step(lambda lc: lc.touch(context.generation.id))
        if job is not None:
            try:
                await job.update()
            except (RedisError, OSError) as error:  # Redis away: the row's heartbeat still proves life
                log.warning(
                    "job heartbeat not recorded", generation_id=str(context.generation.id), error=str(error)
                )


def claimed_attempts(job: Any) -> int:
    return int(getattr(job, "attempts", 1) or 1)


async def _finish_failed(context: RunContext, reason: str) -> str:
    failed = await context.step(lambda lc: lc.fail(context.generation.id, reason))
    if failed is not None:
        await publish(context.runtime.redis, failed)
    log.warning("generation failed", generation_id=str(context.generation.id), reason=reason)
    return "failed"
