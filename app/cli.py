"""`python -m app up`: the whole service on the embedded default (or on the URLs in settings).

Starts the pip-shipped PostgreSQL and Valkey when no URL is set, applies migrations, then serves the API
with an in-process worker (`--worker-only`: SAQ workers, no API). Ctrl-C / SIGTERM stops all of it.
"""

from __future__ import annotations

import asyncio
import time

import click

from app.platform.embedded_runtime import embedded_servers
from app.platform.logging import configure_logging, get_logger
from app.settings import Settings, get_settings

log = get_logger("atelier.cli")


@click.command("up", help=__doc__)
@click.option("--worker-only", is_flag=True, help="Run SAQ workers only (no API).")
@click.option("--migrate-only", is_flag=True, help="Apply migrations and exit.")
def up(worker_only: bool, migrate_only: bool) -> None:
    started = time.monotonic()
    settings = get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    with embedded_servers(settings) as resolved:
        from app.platform import migrate  # imported late: alembic is not needed by `workers run`

        migrate.upgrade(resolved.require_database_url())
        log.info("migrations applied", seconds=round(time.monotonic() - started, 2))
        if migrate_only:
            return
        if worker_only:
            asyncio.run(_run_worker(resolved))
        else:
            _serve(resolved, started)


def _serve(settings: Settings, started: float) -> None:
    import uvicorn

    from app.server import create_app

    app = create_app(settings)

    async def announce() -> None:
        log.info(
            "atelier is ready",
            url=f"http://{settings.host}:{settings.port}",
            graphql=f"http://{settings.host}:{settings.port}/graphql",
            openapi=f"http://{settings.host}:{settings.port}/schema",
            seconds_since_start=round(time.monotonic() - started, 2),
        )

    app.on_startup.append(announce)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False, lifespan="on")


async def _run_worker(settings: Settings) -> None:
    from app.jobs.config import make_saq_plugin

    worker = make_saq_plugin(settings).get_workers()[settings.queue_name]
    await worker.queue.connect()
    log.info("worker started", queue=settings.queue_name, concurrency=settings.worker_concurrency)
    try:
        await worker.start()  # SAQ installs SIGINT/SIGTERM handlers and returns on them
    finally:
        await worker.queue.disconnect()
