"""SAQ through litestar-saq: one queue on Redis; the worker runs in-process (dev, tests) or separately.

litestar-saq gives the queue DI (`task_queues`) and the `python -m app workers run` CLI. The in-process
worker is started by our own lifespan instead of the plugin's, so shutdown awaits the worker's stop
(the plugin fires it as a detached task) and Ctrl-C stays with the server (SIGNALS = []; INFRA.md).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar_saq import QueueConfig, SAQConfig, SAQPlugin

from app.jobs.tasks import TASKS
from app.settings import Settings


class AtelierSAQPlugin(SAQPlugin):
    """SAQPlugin without litestar-saq's batched heartbeat thread (STYLE L3: it crashes noisily on shutdown).

    Liveness of a running generation is recorded on its row (generations.heartbeat_at) instead.
    """

    def get_workers(self) -> Any:
        workers = super().get_workers()
        for worker in workers.values():
            worker._enable_heartbeat_manager = False  # not exposed through QueueConfig in 0.8.0
        return workers


def make_saq_plugin(settings: Settings) -> AtelierSAQPlugin:
    """`python -m app workers run` starts dedicated workers from the same config."""
    return AtelierSAQPlugin(
        config=SAQConfig(
            queue_configs=[
                QueueConfig(
                    name=settings.queue_name,
                    dsn=settings.require_redis_url(),
                    tasks=list(TASKS),
                    concurrency=settings.worker_concurrency,
                    separate_process=True,  # the plugin never starts it in the server; see in_process_worker
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
    """Run the queue's worker inside the API's event loop for the app's lifetime."""
    if not settings.worker_in_process:
        yield
        return
    worker = plugin.get_workers()[settings.queue_name]
    worker.SIGNALS = []
    await worker.queue.connect()
    task = asyncio.create_task(worker.start(), name="saq-worker")
    app.state.worker = worker
    try:
        yield
    finally:
        await worker.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.queue.disconnect()
