"""Is this error an outage (PostgreSQL or Redis unreachable) rather than a bug or bad input?

An outage is answered 503 with Retry-After by the APIs (code SERVICE_UNAVAILABLE) and waited out by workers
(capped backoff) instead of being counted as a failed attempt. Decided from the exception chain, so an
error SQLAlchemy or redis-py wrapped is still recognised.
"""

from __future__ import annotations

import errno

import asyncpg
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_S = 5
_OUTAGES = (
    asyncpg.PostgresConnectionError,  # connection failure, rejection, too many connections, can't connect now
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.AdminShutdownError,  # pg_ctl stop, failover
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    RedisConnectionError,
    RedisTimeoutError,
    PoolTimeout,  # every pooled connection is stuck reconnecting
)
_NETWORK_ERRNOS = {
    errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
    errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENOTCONN,
}  # fmt: skip


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen and len(seen) < 16:
        seen.append(current)
        orig = current.orig if isinstance(current, DBAPIError) else None  # the driver's own error
        current = (
            current.__cause__ or current.__context__ or (orig if isinstance(orig, BaseException) else None)
        )
    return seen


def _one(error: BaseException) -> bool:
    if isinstance(error, _OUTAGES):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, asyncpg.InterfaceError) and "connection" in str(error).lower():
        return True  # "connection is closed", "cannot perform operation: another operation is in progress"
    if isinstance(error, ConnectionError):  # refused, reset, aborted, broken pipe
        return True
    # A bare timeout proves nothing (it may be a slow query); an OSError does with a network errno.
    return isinstance(error, OSError) and error.errno in _NETWORK_ERRNOS


def is_outage(error: BaseException) -> bool:
    """True when the error (or what caused it) says a server could not be reached."""
    return any(_one(e) for e in _chain(error))
