"""The GeneratorContext a running generator gets: every call is a fenced lifecycle step, committed before it
is announced. A run that learns it no longer holds its generation (cancelled, or its lease was taken over)
stops: `cancelled()` turns true and its task is cancelled by the lease keeper.

Progress is coalesced: at most one write per `progress_interval_s` (ATELIER_PROGRESS_INTERVAL_SECONDS) per
run, always of the latest report, in the background (the generator never waits for it), and one not yet
written when the run ends is dropped, since the final state supersedes it. A no-op run is then two
statements (claim, complete) instead of three or more."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from app.contracts import Generation
from app.domain.generations.lifecycle import Run
from app.generators import Artifact, PermanentError
from app.generators.base import PHASES, Phase
from app.jobs.runtime import WorkerRuntime
from app.platform import tracing
from app.platform.events import ProviderEvents, publish
from app.platform.logging import get_logger
from app.storage import storage_key

log = get_logger("atelier.jobs.context")
CANCEL_POLL_S = 0.5
ROUTED_KINDS = {"image", "video", "audio", "text"}  # storage routing rules match these artifact types


class RunStopped(Exception):
    """Raised into a generator that acts after its run stopped holding the generation (it must stop)."""


class RunContext:
    def __init__(self, runtime: WorkerRuntime, run: Run, generation: Generation, deadline: float) -> None:
        self.runtime = runtime
        self.run = run
        self.generation = generation
        self.deadline = deadline
        self.outputs: list[Artifact] = []
        self.task: asyncio.Task[Any] | None = None
        self.stopped = False  # the lease keeper stopped it: the row is no longer this run's
        self.finishing = False  # past the generator: the lease keeper no longer interrupts
        self._checked_at = time.monotonic()  # the claim just saw it processing: no query for CANCEL_POLL_S
        self._cancelled = False
        self._events: ProviderEvents | None = None
        self._latest: tuple[float, Phase, str | None] | None = None  # reported, not yet written
        self._written_at = self._checked_at  # the claim wrote the row
        self._timer: asyncio.TimerHandle | None = None
        self._writing: asyncio.Task[None] | None = None

    @property
    def attempt(self) -> int:
        return self.run.attempt

    async def step(self, action: Any) -> Any:
        return await self.runtime.step(self.run.tenant_id, action, deadline=self.deadline)

    def stop(self) -> None:
        """Called by the lease keeper when the row is no longer this run's (cancelled, or another attempt
        claimed it after this worker lost its lease): stop the generator now; every later write would be
        refused anyway."""
        self._cancelled = True
        if self.task is not None and not self.finishing and not self.task.done():
            self.stopped = True
            self.task.cancel()

    async def progress(
        self, fraction: float, *, phase: Phase = "processing", message: str | None = None
    ) -> None:
        if phase not in PHASES:  # a plugin's mistake; the column's CHECK would refuse it on every retry
            raise PermanentError(f"unknown progress phase {phase!r} (expected one of {sorted(PHASES)})")
        self._latest = (fraction, phase, message)
        self._schedule_progress()

    def _schedule_progress(self) -> None:
        """Write the latest report once the interval has passed since the last write (one write at a time)."""
        if self._timer is not None or self._writing is not None or self._latest is None or self.finishing:
            return
        delay = max(0.0, self._written_at + self.runtime.progress_interval_s - time.monotonic())
        self._timer = asyncio.get_running_loop().call_later(delay, self._start_progress_write)

    def _start_progress_write(self) -> None:
        self._timer = None
        if not self.finishing and self._latest is not None:
            self._writing = asyncio.create_task(self._write_progress(), name="atelier-progress")

    async def _write_progress(self) -> None:
        assert self._latest is not None
        (fraction, phase, message), self._latest = self._latest, None
        self._written_at = time.monotonic()
        lease = self.runtime.lease_s
        try:
            updated = await self.step(lambda lc: lc.progress(self.run, fraction, phase, message, lease))
            if updated is None:
                self._cancelled = True  # no longer this run's: cancelled, or fenced off
            else:
                await publish(self.runtime.redis, updated)
        except Exception as error:  # progress is best effort; the run's own steps report real failures
            log.warning("progress not recorded", generation_id=str(self.run.generation_id), error=str(error))
        finally:
            self._writing = None
        self._schedule_progress()

    async def settle_progress(self) -> None:
        """Before a run's final write: drop the report not yet written (the final state supersedes it) and
        wait for the one being written, so its event is never published after the final one."""
        self.finishing = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        writing = self._writing
        if writing is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.shield(writing)

    async def store(
        self, data: bytes, *, content_type: str, extension: str, metadata: dict[str, Any]
    ) -> Artifact:
        if self._cancelled:  # a fenced run must not overwrite what the attempt that holds the row stores
            raise RunStopped("the run no longer holds this generation")
        g = self.generation
        index = f"-{len(self.outputs)}" if self.outputs else ""
        retry = f"-r{self.attempt}" if self.attempt > 1 else ""  # attempts never share a file
        key = storage_key(g.tenant_id, g.board_id, g.id, extension, suffix=f"{retry}{index}")
        kind = content_type.partition("/")[0]  # a video generator's poster frame is routed as an image
        if kind not in ROUTED_KINDS:
            kind = self.runtime.catalog.get(g.generator_name).artifact_type
        with tracing.span(
            "store", {"atelier.artifact.bytes": len(data), "atelier.artifact.type": content_type}
        ):
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
        lease = self.runtime.lease_s
        if not await self.step(lambda lc: lc.record_external_job(self.run, job_id, lease)):
            self._cancelled = True

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
        await self.settle_progress()
        if self._events is not None:
            with contextlib.suppress(Exception):  # never mask how the run ended
                await self._events.close()

    @property
    def known_stopped(self) -> bool:
        """Already known to no longer hold the generation (no query: the lease keeper or a refused write
        said so)."""
        return self._cancelled

    async def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._checked_at >= CANCEL_POLL_S:
            self._checked_at = now
            self._cancelled = not await self.step(lambda lc: lc.holds(self.run))
        return self._cancelled
