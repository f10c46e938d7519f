"""SAQ through litestar-saq: one queue on Redis; the worker runs in-process (dev, tests) or separately."""

from __future__ import annotations

from litestar_saq import QueueConfig, SAQConfig, SAQPlugin

from app.jobs.tasks import TASKS
from app.settings import Settings


def make_saq_plugin(settings: Settings) -> SAQPlugin:
    """`python -m app workers run` starts dedicated workers from the same config."""
    return SAQPlugin(
        config=SAQConfig(
            queue_configs=[
                QueueConfig(
                    name=settings.queue_name,
                    dsn=settings.require_redis_url(),
                    tasks=list(TASKS),
                    concurrency=settings.worker_concurrency,
                    separate_process=not settings.worker_in_process,
                )
            ],
            web_enabled=False,
            use_server_lifespan=False,
        )
    )
