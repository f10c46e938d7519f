"""Request count and latency by route template (never the raw path: ids would explode the series)."""

from __future__ import annotations

import time
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.platform.metrics import HTTP_LATENCY, HTTP_REQUESTS


class HttpMetricsMiddleware:
    """Pure ASGI (a few microseconds a request); streaming responses count until their last byte."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}  # routes x methods x statuses: small

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope["type"]) != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        except Exception as error:  # a middleware's refusal (401, 429) is answered further out
            status[0] = int(getattr(error, "status_code", 500))
            raise
        finally:
            key = (str(scope.get("method", "GET")), str(scope.get("path_template") or "unmatched"), status[0])
            series = self._series.get(key)
            if series is None:  # labels() costs a lock and a tuple hash per call: resolve each series once
                method, route, code = key
                series = self._series[key] = (
                    HTTP_REQUESTS.labels(method, route, str(code)),
                    HTTP_LATENCY.labels(method, route),
                )
            series[0].inc()
            series[1].observe(time.perf_counter() - started)
