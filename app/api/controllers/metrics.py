"""GET /metrics: the Prometheus exposition of this process (its in-process worker included).

Protected by ATELIER_METRICS_TOKEN (a bearer token) when set; production serves /metrics on the API port
only with a token; ATELIER_METRICS_PORT serves them on a separate port instead (app.server).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from collections.abc import AsyncIterator
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException

from app.platform.logging import get_logger
from app.platform.metrics import (
    GENERATIONS,
    LIVE_STREAMS,
    OLDEST_PENDING,
    QUEUE_JOBS,
    GaugeProbe,
    exposition,
    observe_pool,
    refresh_gauges,
    registry,
)
from app.settings import Settings
from app.wiring import generation_backlog

log = get_logger("atelier.metrics")
REFRESH_S = 10.0


def gauge_probes(state: State) -> list[GaugeProbe]:
    """What the state gauges are read from: the queue (Redis), the backlog (PostgreSQL), this process."""
    queue, engine, pubsub = state.runtime.queue, state.alchemy.get_engine(), state.get("pubsub")

    async def queue_depth() -> None:
        for kind in ("queued", "active"):
            QUEUE_JOBS.labels(queue.name, kind).set(await asyncio.wait_for(queue.count(kind), 2.0))

    async def backlog() -> None:
        found = await asyncio.wait_for(generation_backlog(engine), 2.0)
        for status, (count, _) in found.items():
            GENERATIONS.labels(status).set(count)
        OLDEST_PENDING.set(found["pending"][1])

    async def process() -> None:
        observe_pool(engine.pool)
        if pubsub is not None:
            LIVE_STREAMS.set(pubsub.subscriber_count)

    return [queue_depth, backlog, process]


def served_on_api(settings: Settings) -> bool:
    """Whether /metrics is mounted on the API port (else: off, or on metrics_port)."""
    if not settings.metrics_enabled or settings.metrics_port is not None:
        return False
    if settings.is_production and settings.metrics_token is None:
        log.warning("/metrics is off: production needs ATELIER_METRICS_TOKEN or ATELIER_METRICS_PORT")
        return False
    return True


def _authorized(request: Request[Any, Any, Any], settings: Settings) -> bool:
    if settings.metrics_token is None:
        return True
    expected = f"Bearer {settings.metrics_token.get_secret_value()}".encode()
    return hmac.compare_digest(request.headers.get("authorization", "").encode(), expected)


class MetricsController(Controller):
    path = "/metrics"
    include_in_schema = False
    opt = {"exclude_from_auth": True}

    @get(cache_control=None)
    async def metrics(self, request: Request[Any, Any, Any], state: State) -> Response[bytes]:
        if not _authorized(request, state.settings):
            raise NotAuthorizedException("metrics need the bearer token (ATELIER_METRICS_TOKEN)")
        await refresh_gauges(gauge_probes(state))
        body, content_type = exposition()
        return Response(body, media_type=content_type)


@contextlib.asynccontextmanager
async def metrics_port(settings: Settings, probes: list[GaugeProbe]) -> AsyncIterator[None]:
    """Serve the exposition on settings.metrics_port (prometheus_client's own server, a thread) and keep
    the state gauges fresh every REFRESH_S."""
    if not settings.metrics_enabled or settings.metrics_port is None:
        yield
        return
    from prometheus_client import start_http_server

    server, thread = start_http_server(settings.metrics_port, addr=settings.metrics_host, registry=registry())

    async def refresh() -> None:
        while True:
            await refresh_gauges(probes)
            await asyncio.sleep(REFRESH_S)

    task = asyncio.create_task(refresh(), name="metrics-refresh")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
