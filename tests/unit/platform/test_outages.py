"""Outages (a server unreachable) are told apart from bugs, through wrapping exception chains."""

from __future__ import annotations

import errno

import asyncpg
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from app.platform.outages import is_outage


def _wrapped(inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as error:
            raise RuntimeError("wrapper") from error
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(errno.ECONNREFUSED, "refused"),
        ConnectionResetError(errno.ECONNRESET, "reset"),
        OSError(errno.EHOSTUNREACH, "no route"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InterfaceError("connection is closed"),
        RedisConnectionError("Error 111 connecting"),
        DBAPIError("SELECT 1", {}, Exception("x"), connection_invalidated=True),
        OperationalError("SELECT 1", {}, ConnectionRefusedError(errno.ECONNREFUSED, "refused")),
    ],
    ids=lambda e: type(e).__name__,
)
def test_unreachable_servers_are_outages(error: BaseException) -> None:
    assert is_outage(error)
    assert is_outage(_wrapped(error))


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad"),
        KeyError("x"),
        TimeoutError(),  # a slow query is not an outage
        IntegrityError("INSERT", {}, Exception("duplicate key")),
        OSError(errno.ENOSPC, "No space left on device"),
        asyncpg.UniqueViolationError("duplicate"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_other_errors_are_not(error: BaseException) -> None:
    assert not is_outage(error)
    assert not is_outage(_wrapped(error))
