"""Rate limits per user and per tenant: Litestar's RateLimitMiddleware on a Redis store (shared by every
API process). Over the limit → 429 problem with Retry-After (app.api.errors)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from litestar import Request
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, get_remote_address
from litestar.stores.redis import RedisStore
from redis.exceptions import RedisError

from app.domain.actor import Actor
from app.platform.logging import get_logger
from app.settings import Settings

STORE = "rate_limit"
EXCLUDE = ["^/health$", "^/ready$", "^/schema", "^/api/v1/webhooks/"]  # providers retry; signatures gate
WARN_EVERY_S = 30.0
log = get_logger("atelier.rate_limit")


class FailOpenRedisStore(RedisStore):
    """The counters' store. While Redis is unreachable requests pass uncounted (fail open) instead of
    failing: an outage of the limiter must not take the API down (or lose a generation being created)."""

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


def _user_key(request: Request[Any, Any, Any]) -> str:
    actor = request.scope.get("user")
    if isinstance(actor, Actor) and actor.user_id is not None:
        return f"user:{actor.user_id}"
    return f"anonymous:{get_remote_address(request)}"


def _tenant_key(request: Request[Any, Any, Any]) -> str:
    actor = request.scope.get("user")
    return f"tenant:{actor.tenant_id}" if isinstance(actor, Actor) else "tenant:unknown"


def rate_limit_middleware(settings: Settings) -> list[DefineMiddleware]:
    """Two limits; the user one comes first so a noisy user is stopped before using the tenant's budget."""
    if not settings.rate_limit_enabled:
        return []
    configs = [
        RateLimitConfig(
            rate_limit=("minute", settings.rate_limit_user_per_minute), exclude=EXCLUDE,
            identifier_for_request=_user_key, store=STORE,
        ),
        RateLimitConfig(
            rate_limit=("minute", settings.rate_limit_tenant_per_minute), exclude=EXCLUDE,
            identifier_for_request=_tenant_key, store=STORE,
        ),
    ]  # fmt: skip
    return [config.middleware for config in configs]
