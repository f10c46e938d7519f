"""What a worker process holds for its jobs, and how one lifecycle step reaches the database.

A step is one statement in autocommit (every LifecycleStore method is atomic on its own: one round trip, no
BEGIN and COMMIT around it). While PostgreSQL is unreachable a step waits and retries with capped
backoff (bounded by the run's deadline) instead of failing the attempt: an outage is not the generation's
fault, and burning its retries inside a ten-second outage left rows stuck before.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.domain.generations.lifecycle import GenerationLifecycle, RetryPolicy
from app.generators import GeneratorRegistry
from app.platform.logging import get_logger
from app.platform.outages import is_outage
from app.storage import Storage
from app.wiring import build_lifecycle

if TYPE_CHECKING:
    from app.jobs.context import RunContext
    from app.jobs.presence import WorkerPresence

log = get_logger("atelier.jobs")
T = TypeVar("T")
OUTAGE_BACKOFF_S = (0.1, 0.2, 0.5, 1.0, 2.0)  # then 2 s until the deadline


def worker_identity() -> str:
    """host:pid:nonce — unique per worker process start, so a restarted process never inherits leases."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class WorkerRuntime:
    """Built by the worker's startup hook; one per worker process (the in-process worker included)."""

    sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    connect: Callable[[], AbstractAsyncContextManager[AsyncConnection]]  # autocommit: lifecycle steps
    catalog: GeneratorRegistry
    storage: Storage
    redis: Any
    queue: Any = None  # saq.Queue: retries and hand-backs are queued again at once
    owner: str = field(default_factory=worker_identity)
    lease_s: float = 15.0
    pending_grace_s: float = 5.0
    progress_interval_s: float = 0.25  # progress writes per run at most this often (app.jobs.context)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    draining: bool = False  # set on SIGTERM: take no new run, hand running ones back after the grace
    runs: dict[UUID, RunContext] = field(default_factory=dict)  # what this process runs now, by generation
    presence: WorkerPresence | None = (
        None  # the advisory lock that says this process lives (app.jobs.presence)
    )

    async def step(
        self,
        tenant_id: UUID,
        action: Callable[[GenerationLifecycle], Awaitable[T]],
        *,
        deadline: float | None = None,
    ) -> T:
        """One lifecycle step (one atomic statement, committed as it runs), retried through database outages
        until `deadline` (time.monotonic()); other errors propagate at once."""
        for attempt in range(10_000):
            try:
                async with self.connect() as connection:
                    return await action(build_lifecycle(connection, tenant_id, urls=self.storage.signed_url))
            except Exception as error:
                delay = OUTAGE_BACKOFF_S[min(attempt, len(OUTAGE_BACKOFF_S) - 1)]
                if not is_outage(error) or (deadline is not None and time.monotonic() + delay > deadline):
                    raise
                if attempt == 0:
                    log.warning(
                        "database unreachable; waiting", error=type(error).__name__, detail=str(error)
                    )
                await asyncio.sleep(delay)
        raise RuntimeError("unreachable")  # pragma: no cover
