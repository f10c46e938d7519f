"""Login throttling per account and per client address, in Redis (shared by every API process).

After FREE_FAILURES wrong passwords for an account (or IP_FREE_FAILURES from one address) within WINDOW,
each further attempt must wait 2^(n - free) seconds after the last failure (capped at MAX_DELAY): the
answer meanwhile is 429 with Retry-After, before any password is checked. A success clears the account's
count. Every failure and every refusal is logged (an audit line without the password). While Redis is
unreachable, logins are not throttled (fail open, like the rate limiter) and a warning is logged.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from redis.exceptions import RedisError

from app.domain.errors import RateLimited
from app.platform.logging import get_logger

FREE_FAILURES = 5
IP_FREE_FAILURES = 20
MAX_DELAY_S = 15 * 60
WINDOW_S = 60 * 60
log = get_logger("atelier.audit.login")


def backoff(failures: int, free: int) -> float:
    """Seconds to wait after the last failure: 0 within the free failures, then 1, 2, 4, … ≤ MAX_DELAY_S."""
    if failures < free:
        return 0.0
    return float(min(2 ** (failures - free), MAX_DELAY_S))


class RedisLoginThrottle:
    """Implements app.domain.accounts.LoginThrottle."""

    def __init__(self, redis: Any, namespace: str = "atelier:login") -> None:
        self._redis = redis
        self._namespace = namespace

    def _keys(self, tenant: str, email: str, ip: str | None) -> list[tuple[str, int]]:
        account = hashlib.sha256(f"{tenant}:{email}".encode()).hexdigest()[:32]  # no addresses in Redis
        keys = [(f"{self._namespace}:account:{account}", FREE_FAILURES)]
        if ip:
            keys.append((f"{self._namespace}:ip:{ip}", IP_FREE_FAILURES))
        return keys

    async def check(self, tenant: str, email: str, ip: str | None) -> None:
        now = time.time()
        try:
            for key, free in self._keys(tenant, email, ip):
                state = await self._redis.hmget(key, "failures", "last")
                failures, last = int(state[0] or 0), float(state[1] or 0)
                wait = last + backoff(failures, free) - now
                if wait > 0:
                    log.warning("login throttled", tenant=tenant, account=key.rsplit(":", 1)[-1], ip=ip,
                                failures=failures, retry_after=math.ceil(wait))  # fmt: skip
                    raise RateLimited(
                        "too many failed sign-ins; wait before trying again",
                        details={"retry_after": math.ceil(wait)},
                    )
        except RedisError as error:
            log.warning("login throttling not enforced: Redis unreachable", error=str(error))

    async def failed(self, tenant: str, email: str, ip: str | None) -> None:
        log.warning("login failed", tenant=tenant, ip=ip)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                for key, _ in self._keys(tenant, email, ip):
                    pipe.hincrby(key, "failures", 1)
                    pipe.hset(key, "last", str(time.time()))
                    pipe.expire(key, WINDOW_S)
                await pipe.execute()
        except RedisError as error:
            log.warning("login throttling not recorded: Redis unreachable", error=str(error))

    async def succeeded(self, tenant: str, email: str, ip: str | None) -> None:
        try:
            await self._redis.delete(self._keys(tenant, email, None)[0][0])
        except RedisError as error:
            log.warning("login throttling not reset: Redis unreachable", error=str(error))
