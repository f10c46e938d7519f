"""`python -m app up`: the whole service on the embedded default (or on the URLs in settings).

Starts the pip-shipped PostgreSQL and Valkey when no URL is set, applies migrations, then serves the API
with an in-process worker (`--worker-only`: SAQ workers, no API; `--api-only`: the API, no worker).
Ctrl-C / SIGTERM stops all of it.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import click

from app.platform.embedded_runtime import embedded_servers
from app.platform.logging import configure_logging, get_logger
from app.settings import Settings, get_settings

log = get_logger("atelier.cli")


@click.command("up", help=__doc__)
@click.option("--worker-only", is_flag=True, help="Run SAQ workers only (no API).")
@click.option("--api-only", is_flag=True, help="Serve the API without an in-process worker.")
@click.option("--migrate-only", is_flag=True, help="Apply migrations and exit.")
def up(worker_only: bool, api_only: bool, migrate_only: bool) -> None:
    started = time.monotonic()
    settings = get_settings()
    if api_only:
        settings = settings.model_copy(update={"worker_in_process": False})
    configure_logging(level=settings.log_level, json=settings.log_json)
    _unwind_on_sigterm()
    with embedded_servers(settings) as resolved:
        from app.platform import migrate  # imported late: alembic is not needed by `workers run`

        if resolved.migrate_on_start or migrate_only:
            migrate.upgrade(resolved.require_database_url())
            log.info("migrations applied", seconds=round(time.monotonic() - started, 2))
        if migrate_only:
            return
        if worker_only:
            with asyncio.Runner(loop_factory=worker_loop_factory()) as runner:
                runner.run(_run_worker(resolved))
        else:
            _serve(resolved, started)


def _unwind_on_sigterm() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C, so the embedded servers are stopped on the way out.

    uvicorn catches the signal, shuts down, then raises it again with the previous handler in place; with the
    default handler the process died right there, leaving PostgreSQL and Valkey running (found by an audit).
    """

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGHUP, leave)


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
    uvicorn.run(  # X-Forwarded-For is handled by app.platform.proxies (ATELIER_TRUSTED_PROXIES) only
        app, host=settings.host, port=settings.port, log_config=None, access_log=False, lifespan="on",
        proxy_headers=False,
    )  # fmt: skip


def worker_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop for a worker process where it is installed (as the API runs on it through uvicorn): a job is
    mostly socket round trips to PostgreSQL and Redis, and uvloop spends less CPU on each."""
    try:
        import uvloop
    except ImportError:  # PyPy, Windows: the standard loop
        return None
    return uvloop.new_event_loop


async def _run_worker(settings: Settings) -> None:
    from app.api.controllers.metrics import metrics_port
    from app.jobs.config import make_saq_plugin, run_until_signalled

    worker = make_saq_plugin(settings).get_workers()[settings.queue_name]
    await worker.queue.connect()
    log.info("worker started", queue=settings.queue_name, concurrency=settings.worker_concurrency)
    try:
        async with metrics_port(settings, probes=[]):  # job counters and durations, when a port is set
            await run_until_signalled(worker)  # SIGTERM/SIGINT drain: finish the grace, hand back the rest
    finally:
        await worker.queue.disconnect()


@click.group(
    "tenants", help="Tenant administration (operators): tenants are never created from request input."
)
def tenants() -> None:
    pass


@tenants.command("create", help="Create a tenant: SLUG (a-z, 0-9, -) and a display NAME (audited as 'cli').")
@click.argument("slug")
@click.argument("name")
def create_tenant(slug: str, name: str) -> None:
    from app.cli_instance import create_tenant as audited

    assert audited.callback is not None  # the same TenantAdminService as `admin create-tenant`
    audited.callback(slug, name)


@tenants.command("grant-admin", help="Make the user with EMAIL an admin of tenant SLUG.")
@click.argument("slug")
@click.argument("email")
def grant_admin(slug: str, email: str) -> None:
    async def run(settings: Settings) -> None:
        from sqlalchemy import text

        async with _session(settings) as session:
            result = await session.execute(
                text(
                    "UPDATE users SET is_admin = true FROM tenants "
                    "WHERE users.tenant_id = tenants.id AND tenants.slug = :slug AND users.email = :email"
                ),
                {"slug": slug, "email": email.strip().lower()},
            )
            await session.commit()
        if not getattr(result, "rowcount", 0):
            raise click.ClickException(f"no user {email!r} in tenant {slug!r}")
        click.echo(f"{email} is now an admin of {slug}")

    asyncio.run(run(_attached()))


def _attached() -> Settings:
    from app.platform.embedded_runtime import attach_embedded

    return attach_embedded(get_settings())


def _session(settings: Settings) -> Any:
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(settings.require_database_url(), poolclass=NullPool)
    return AsyncSession(engine, expire_on_commit=False)
