"""A zero-round-trip liveness check for pooled connections, instead of SQLAlchemy's pre-ping.

`pool_pre_ping` on asyncpg costs three round trips on every checkout (BEGIN, `;`, ROLLBACK), about a third
of a millisecond of CPU per request. asyncpg already notices when the server closes a connection (restart,
`pg_terminate_backend`, idle timeout): the socket's EOF marks it closed while it sits in the pool. So the
checkout refuses a closed connection and the pool retries with a fresh one, with no query at all. A link
that dies silently (no FIN) still surfaces as a disconnect error on first use, which makes SQLAlchemy
invalidate the pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool


def refuse_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Pool `checkout` hook: raising DisconnectionError makes the pool discard this one and connect anew."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if is_closed is not None and is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def install() -> None:
    """Idempotent: every pool in the process (API, worker, CLI) gets the check."""
    if not event.contains(Pool, "checkout", refuse_closed):
        event.listen(Pool, "checkout", refuse_closed)
