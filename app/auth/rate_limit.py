"""Rate limits per user and per tenant, shared through Redis by every API process. Over a limit → 429
problem with Retry-After (app.api.errors).

Each user has three budgets a minute (app.auth.budgets): reads (large: pages poll), writes, and generation
creation (small: it costs money); the tenant has one budget for all its users' requests. Counters are fixed
one-minute windows counted with INCR, one Redis round trip per request (atomic across processes, no lock).
While Redis is unreachable requests pass uncounted (fail open): an outage of the limiter must not take the
API down (or lose a generation being created).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

from litestar.exceptions import TooManyRequestsException
from litestar.middleware import DefineMiddleware
from litestar.stores.redis import RedisStore
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis.exceptions import RedisError

from app.auth.budgets import GRAPHQL_PATH, Budget, graphql_budget, rest_budget
from app.domain.actor import Actor
from app.platform.logging import get_logger
from app.platform.metrics import RATE_LIMITED
from app.settings import Settings

STORE = "rate_limit"
EXCLUDE = re.compile(r"^/(health|ready|metrics)$|^/schema|^/api/v1/webhooks/")  # providers retry; signed
WINDOW_S = 60
WARN_EVERY_S = 30.0
log = get_logger("atelier.rate_limit")


class FailOpenRedisStore(RedisStore):
    """A Litestar store on Redis that passes (returns nothing) while Redis is unreachable."""

    _warned_at = 0.0

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        try:
            return await super().get(key, renew_for)
        except (RedisError, OSError) as error:
            self._warn(error)
            return None

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        try:
            await super().set(key, value, expires_in)
        except (RedisError, OSError) as error:
            self._warn(error)

    def _warn(self, error: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("rate limits not enforced: Redis unreachable", error=str(error))


def _identities(scope: Scope) -> tuple[str, str]:
    actor = scope.get("user")
    if isinstance(actor, Actor):
        user = f"user:{actor.user_id}" if actor.user_id is not None else f"anonymous:{_address(scope)}"
        return user, f"tenant:{actor.tenant_id}"
    return f"anonymous:{_address(scope)}", "tenant:unknown"


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _buffered_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body (to classify a GraphQL request) and give the handler a receive that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body, replayed = b"".join(chunks), False

    async def replay() -> Any:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


class RateLimitMiddleware:
    """Pure ASGI; placed after the actor middleware so the user and tenant are known."""

    def __init__(self, app: ASGIApp, *, redis: Any, settings: Settings) -> None:
        self.app = app
        self.redis = redis
        self.namespace = settings.rate_limit_namespace
        self.limits: dict[str, int] = {
            "read": settings.rate_limit_read_per_minute,
            "write": settings.rate_limit_user_per_minute,
            "create": settings.rate_limit_create_per_minute,
            "tenant": settings.rate_limit_tenant_per_minute,
        }
        self._warned_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if str(scope["type"]) != "http" or EXCLUDE.search(path):
            await self.app(scope, receive, send)
            return
        method = str(scope.get("method", "GET"))
        if method == "POST" and path == GRAPHQL_PATH:
            body, receive = await _buffered_body(receive)
            budget: Budget = graphql_budget(body)
        else:
            budget = rest_budget(method, path)
        remaining = await self._spend(scope, budget)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"ratelimit-limit", str(self.limits[budget]).encode()))
                headers.append((b"ratelimit-remaining", str(max(0, remaining)).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers if remaining >= 0 else send)

    async def _spend(self, scope: Scope, budget: Budget) -> int:
        """Count the request in the user's budget and the tenant's; 429 when either is spent. Returns what
        is left of the user's budget (-1: not counted, Redis unreachable)."""
        user, tenant = _identities(scope)
        now = time.time()
        window = int(now // WINDOW_S)
        user_key = f"{self.namespace}:{budget}:{user}:{window}"
        tenant_key = f"{self.namespace}:tenant:{tenant}:{window}"
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.incr(user_key).expire(user_key, WINDOW_S * 2)
                pipe.incr(tenant_key).expire(tenant_key, WINDOW_S * 2)
                used, _, tenant_used, _ = await pipe.execute()
        except (RedisError, OSError) as error:
            self._warn(error)
            return -1
        for name, count in ((budget, used), ("tenant", tenant_used)):
            if count > self.limits[name]:
                RATE_LIMITED.labels(name).inc()
                reset = str(max(1, int(WINDOW_S - now % WINDOW_S)))
                raise TooManyRequestsException(
                    detail=f"Too many requests: the {name} budget is {self.limits[name]} a minute",
                    headers={"Retry-After": reset, "RateLimit-Limit": str(self.limits[name]),
                             "RateLimit-Remaining": "0", "RateLimit-Reset": reset},
                )  # fmt: skip
        return int(self.limits[budget] - used)

    def _warn(self, error: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("rate limits not enforced: Redis unreachable", error=str(error))


def rate_limit_middleware(settings: Settings, redis: Any) -> list[DefineMiddleware]:
    if not settings.rate_limit_enabled:
        return []
    return [DefineMiddleware(RateLimitMiddleware, redis=redis, settings=settings)]
