"""SAQ through litestar-saq: one queue on Redis; the worker runs in-process (dev, tests) or separately.

litestar-saq gives the queue DI (`task_queues`) and the `python -m app workers run` CLI. The in-process
worker is started by our own lifespan instead of the plugin's, so shutdown awaits the worker's stop
(the plugin fires it as a detached task) and Ctrl-C stays with the server (SIGNALS = []; INFRA.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from typing import Any, cast

from litestar import Litestar
from litestar_saq import CronJob, QueueConfig, SAQConfig, SAQPlugin
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.auth.bootstrap import auth_secret
from app.db import liveness
from app.domain.generations.lifecycle import RetryPolicy
from app.generators import load_registry
from app.generators.providers import provider_config
from app.jobs.files import sweep_expired_uploads
from app.jobs.leases import keep_leases
from app.jobs.logs import quiet_retries
from app.jobs.runtime import WorkerRuntime
from app.jobs.sweeper import sweep_forever
from app.jobs.tasks import TASKS
from app.platform.heap import freeze_startup_heap
from app.settings import Settings
from app.storage import build_storage


class AtelierSAQPlugin(SAQPlugin):
    """SAQPlugin without litestar-saq's batched heartbeat thread (STYLE L3: it crashes noisily on shutdown).

    Liveness of a running generation is recorded on its row (generations.heartbeat_at) instead.
    """

    def get_workers(self) -> Any:
        workers = super().get_workers()
        for worker in workers.values():
            worker._enable_heartbeat_manager = False  # not exposed through QueueConfig in 0.8.0
        return workers


def worker_hooks(settings: Settings) -> tuple[Any, Any]:
    """startup/shutdown for every worker (in-process or `workers run`): its own engine, Redis and registry."""

    async def startup(ctx: dict[str, Any]) -> None:
        liveness.install()  # no pre-ping: closed connections are refused at checkout
        engine = create_async_engine(settings.require_database_url(), pool_size=5)
        ctx["atelier_engine"] = engine
        runtime = WorkerRuntime(
            sessions=async_sessionmaker(engine, expire_on_commit=False),
            catalog=load_registry(settings.generators_config, provider_config(settings)),
            storage=build_storage(settings.storage, settings.storage_dir, auth_secret(settings)),
            redis=Redis.from_url(settings.require_redis_url()),
            queue=getattr(ctx.get("worker"), "queue", None),
            lease_s=settings.lease_seconds,
            pending_grace_s=settings.sweep_pending_grace_seconds,
            policy=RetryPolicy(max_failures=settings.retry_max_failures),
        )
        ctx["atelier"] = runtime
        ctx["atelier_upkeep"] = [
            asyncio.create_task(keep_leases(runtime), name="atelier-leases"),
            asyncio.create_task(
                sweep_forever(runtime, settings.sweep_interval_seconds), name="atelier-sweeper"
            ),
        ]
        if settings.env != "test":
            freeze_startup_heap()  # as the API does: full collections then skip what start-up built

    async def shutdown(ctx: dict[str, Any]) -> None:
        for task in ctx.get("atelier_upkeep", []):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        runtime = ctx.get("atelier")
        if runtime is not None:
            await runtime.redis.aclose()
            await runtime.storage.aclose()
        engine = ctx.get("atelier_engine")
        if engine is not None:
            await engine.dispose()

    return startup, shutdown


DEQUEUE_TIMEOUT_S = 1.0
HAND_BACK_DEADLINE_S = 10.0  # after the grace, cancelled runs get this long to hand their rows back


def scheduled_tasks() -> list[CronJob]:
    """SAQ cron jobs. croniter reads a SIXTH field as seconds (INFRA.md): "* * * * * 30" is second 30 of every
    minute. The generation sweeper is a timer in every worker instead (app.jobs.sweeper.sweep_forever): it
    must run while Redis is away too. tests/unit/jobs/test_schedules.py checks the fire times."""
    return [CronJob(function=cast(Any, sweep_expired_uploads), cron="* * * * * 30", timeout=120)]


def make_saq_plugin(settings: Settings) -> AtelierSAQPlugin:
    """`python -m app workers run` starts dedicated workers from the same config."""
    quiet_retries()
    startup, shutdown = worker_hooks(settings)
    return AtelierSAQPlugin(
        config=SAQConfig(
            queue_configs=[
                QueueConfig(
                    name=settings.queue_name,
                    dsn=settings.require_redis_url(),
                    tasks=list(TASKS),
                    concurrency=settings.worker_concurrency,
                    separate_process=True,  # the plugin never starts it in the server; see in_process_worker
                    startup=startup,
                    shutdown=shutdown,
                    timers=cast(Any, {"sweep": settings.queue_sweep_seconds}),  # saq's PartialTimersDict
                    scheduled_tasks=scheduled_tasks(),
                    dequeue_timeout=DEQUEUE_TIMEOUT_S,  # idle slots notice a stop within this
                    shutdown_grace_period_s=cast(Any, settings.worker_shutdown_grace_seconds),
                    cancellation_hard_deadline_s=HAND_BACK_DEADLINE_S,
                )
            ],
            web_enabled=False,
            use_server_lifespan=False,
        )
    )


@contextlib.asynccontextmanager
async def in_process_worker(
    app: Litestar, plugin: AtelierSAQPlugin, settings: Settings
) -> AsyncIterator[None]:
    """Run the queue's worker inside the API's event loop for the app's lifetime (the queue is connected
    by the app's connections lifespan, which enqueues too)."""
    if not settings.worker_in_process:
        yield
        return
    worker = plugin.get_workers()[settings.queue_name]
    worker.SIGNALS = []
    task = asyncio.create_task(worker.start(), name="saq-worker")
    app.state.worker = worker
    try:
        yield
    finally:
        await drain(worker)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def drain(worker: Any) -> None:
    """Stop a worker gracefully: no new runs, running ones get the shutdown grace, then the rest are handed
    back (pending again, no failure counted, queued at once for another worker)."""
    runtime = worker.context.get("atelier")
    if isinstance(runtime, WorkerRuntime):
        runtime.draining = True
    await worker.stop()


async def run_until_signalled(worker: Any) -> None:
    """A dedicated worker process: SIGTERM/SIGINT drain it (SAQ's own handlers would skip the hand-back)."""
    worker.SIGNALS = []
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []

    def on_signal() -> None:
        if not stopping:  # a second signal changes nothing: the drain is bounded by the grace
            stopping.append(asyncio.create_task(drain(worker)))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal)
    await worker.start()  # returns once drain() has stopped it
    for task in stopping:
        await task
