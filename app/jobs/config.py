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
from litestar_saq import CronJob, QueueConfig, SAQConfig, SAQPlugin, Worker
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.auth.bootstrap import auth_secret
from app.auth.guards import instance_admin_guard
from app.db import liveness
from app.db.autocommit import AUTOCOMMIT
from app.domain.generations.lifecycle import RetryPolicy
from app.generators import load_registry
from app.generators.providers import provider_config
from app.jobs.files import sweep_expired_uploads
from app.jobs.leases import keep_leases
from app.jobs.logs import quiet_retries
from app.jobs.mail import MAIL_SENDER, MAIL_TRANSPORT, sweep_mail_outbox
from app.jobs.presence import WorkerPresence
from app.jobs.runtime import WorkerRuntime, worker_identity
from app.jobs.sweeper import sweep_forever
from app.jobs.tasks import TASKS
from app.jobs.telemetry import after_job, before_job, worker_startup
from app.mail import build_transport
from app.platform.heap import freeze_startup_heap
from app.settings import Settings
from app.storage import build_storage

JOBS_DASHBOARD_PATH = "/admin/jobs"


class AtelierSAQPlugin(SAQPlugin):
    """SAQPlugin whose workers run without litestar-saq's batched heartbeat thread (STYLE L3: it crashes
    noisily on shutdown). Liveness of a running generation is recorded on its row (generations.heartbeat_at)
    and by the worker's presence lock instead.

    litestar-saq 0.8 offers `enable_heartbeat_manager` on its public `Worker` constructor but not on
    `QueueConfig`, so `get_workers` builds the workers itself from the same config (every QueueConfig field
    the plugin passes on), through that public constructor."""

    def __init__(self, config: SAQConfig) -> None:
        super().__init__(config=config)
        self.atelier_config = config
        self.atelier_workers: dict[str, Worker] | None = None

    def get_workers(self) -> dict[str, Worker]:
        if self.atelier_workers is None:
            self.atelier_workers = {
                queue_config.name: build_worker(self.get_queue(queue_config.name), queue_config)
                for queue_config in self.atelier_config.queue_configs
            }
        return self.atelier_workers

    def remove_workers(self) -> None:
        self.atelier_workers = None


def build_worker(queue: Any, queue_config: QueueConfig) -> Worker:
    return Worker(
        queue=queue,
        id=queue_config.id or worker_identity(),  # SAQ records it on each job it takes: job.worker_id
        functions=cast(Any, queue_config.tasks),
        cron_jobs=queue_config.scheduled_tasks,
        cron_tz=queue_config.cron_tz,
        concurrency=queue_config.concurrency,
        startup=cast(Any, queue_config.startup),
        shutdown=cast(Any, queue_config.shutdown),
        before_process=cast(Any, queue_config.before_process),
        after_process=cast(Any, queue_config.after_process),
        timers=queue_config.timers,
        dequeue_timeout=queue_config.dequeue_timeout,
        separate_process=queue_config.separate_process,
        burst=queue_config.burst,
        max_burst_jobs=queue_config.max_burst_jobs,
        metadata=queue_config.metadata,
        shutdown_grace_period_s=queue_config.shutdown_grace_period_s,
        cancellation_hard_deadline_s=queue_config.cancellation_hard_deadline_s,
        poll_interval=queue_config.poll_interval,
        enable_otel=False,  # app.jobs.telemetry makes the job spans (trace context from the job's meta)
        enable_heartbeat_manager=False,
    )


def worker_pool_size(settings: Settings) -> int:
    """Connections a worker keeps: one per job slot (each lifecycle step holds one for a statement) plus the
    lease keeper's and the sweeper's, capped. With 5 kept for 10 slots, the overflow connections were opened
    and closed around single statements: connecting was a sixth of a no-op job's time."""
    return min(settings.worker_concurrency, 20) + 2


def worker_hooks(settings: Settings) -> tuple[Any, Any]:
    """startup/shutdown for every worker (in-process or `workers run`): its own engine, Redis and registry."""

    async def startup(ctx: dict[str, Any]) -> None:
        liveness.install()  # no pre-ping: closed connections are refused at checkout
        engine = create_async_engine(settings.require_database_url(), pool_size=worker_pool_size(settings))
        ctx["atelier_engine"] = engine
        worker = ctx.get("worker")
        runtime = WorkerRuntime(
            owner=str(
                getattr(worker, "id", None) or worker_identity()
            ),  # the leases' owner = SAQ's worker id
            sessions=async_sessionmaker(engine, expire_on_commit=False),
            connect=engine.execution_options(**AUTOCOMMIT).connect,  # one statement per lifecycle step
            catalog=load_registry(settings.generators_config, provider_config(settings)),
            storage=build_storage(settings.storage, settings.storage_dir, auth_secret(settings)),
            redis=Redis.from_url(settings.require_redis_url()),
            queue=getattr(worker, "queue", None),
            lease_s=settings.lease_seconds,
            pending_grace_s=settings.sweep_pending_grace_seconds,
            progress_interval_s=settings.progress_interval_seconds,
            policy=RetryPolicy(max_failures=settings.retry_max_failures),
        )
        runtime.presence = WorkerPresence(settings.require_database_url(), runtime.owner)
        await runtime.presence.ensure()  # before any claim; an outage now is retried by the lease keeper
        ctx["atelier"] = runtime
        ctx["atelier_upkeep"] = [
            asyncio.create_task(keep_leases(runtime), name="atelier-leases"),
            asyncio.create_task(
                sweep_forever(runtime, settings.sweep_interval_seconds), name="atelier-sweeper"
            ),
        ]
        smtp = settings.smtp_url.get_secret_value() if settings.smtp_url else None
        ctx[MAIL_TRANSPORT], ctx[MAIL_SENDER] = (
            build_transport(smtp, settings.mail_outbox_dir),
            settings.mail_from,
        )
        if settings.env != "test":
            freeze_startup_heap()  # as the API does: full collections then skip what start-up built

    async def shutdown(ctx: dict[str, Any]) -> None:
        for task in ctx.get("atelier_upkeep", []):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        runtime = ctx.get("atelier")
        if runtime is not None:
            if runtime.presence is not None:
                await runtime.presence.release()  # after the hand-backs: nothing of ours is left to recover
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
    return [
        CronJob(function=cast(Any, sweep_expired_uploads), cron="* * * * * 30", timeout=120),
        CronJob(function=cast(Any, sweep_mail_outbox), cron="* * * * * 0", timeout=120),  # lost drains
    ]


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
                    startup=[startup, worker_startup(settings.otel_enabled)],
                    shutdown=shutdown,
                    before_process=[
                        cast(Any, before_job)
                    ],  # job metrics and the job's span (app.jobs.telemetry)
                    after_process=[cast(Any, after_job)],
                    timers=cast(Any, {"sweep": settings.queue_sweep_seconds}),  # saq's PartialTimersDict
                    scheduled_tasks=scheduled_tasks(),
                    dequeue_timeout=DEQUEUE_TIMEOUT_S,  # idle slots notice a stop within this
                    shutdown_grace_period_s=cast(Any, settings.worker_shutdown_grace_seconds),
                    cancellation_hard_deadline_s=HAND_BACK_DEADLINE_S,
                )
            ],
            web_enabled=settings.jobs_dashboard,  # SAQ's dashboard and its API: instance admins
            web_path=JOBS_DASHBOARD_PATH,
            web_guards=[
                instance_admin_guard(
                    single_tenant=settings.tenant_mode == "single", instance_admins=settings.instance_admins
                )
            ],
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
