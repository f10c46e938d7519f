"""A worker's presence in PostgreSQL: a session-level advisory lock held on a connection of its own for the
worker's lifetime. PostgreSQL frees it the moment that connection closes, so when a worker process dies
(kill -9, OOM, a lost host) the sweeper sees it within one sweep (app.db.stores.lifecycle.worker_gone) and
its runs start elsewhere at once, instead of after their lease runs out. The lease stays the backstop for a
worker that hangs while its connection lives, or for a connection pooler that does not keep sessions."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.platform.logging import get_logger
from app.platform.outages import is_outage
from app.wiring import LIVENESS_LOCK_CLASS

log = get_logger("atelier.jobs.presence")
CONNECT_TIMEOUT_S = 3.0
TAKE_LOCK = text("SELECT pg_try_advisory_lock(:namespace, hashtext(:owner))")


class WorkerPresence:
    """`ensure()` (each lease renewal) checks the connection and takes the lock again if it was lost;
    `release()` at shutdown closes the connection, which frees the lock."""

    def __init__(self, database_url: str, owner: str) -> None:
        self.owner = owner
        self.engine: AsyncEngine = create_async_engine(
            database_url, poolclass=NullPool, connect_args={"timeout": CONNECT_TIMEOUT_S}
        )
        self.connection: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self.connection is not None and not self.connection.closed

    async def ensure(self) -> bool:
        """True when the lock is held after the call. Never raises for an outage: the lease still protects."""
        try:
            return await asyncio.wait_for(self._ensure(), timeout=CONNECT_TIMEOUT_S * 2)
        except Exception as error:
            if not (is_outage(error) or isinstance(error, TimeoutError)):
                raise
            await self._drop()
            return False

    async def _ensure(self) -> bool:
        if self.connection is not None:
            try:
                await self.connection.execute(text("SELECT 1"))
                await self.connection.rollback()  # never left idle in a transaction
                return True
            except Exception as error:
                if not is_outage(error):
                    raise
                log.warning("presence connection lost; taking the lock again", owner=self.owner)
                await self._drop()
        connection = await self.engine.connect()
        taken = (
            await connection.execute(TAKE_LOCK, {"namespace": LIVENESS_LOCK_CLASS, "owner": self.owner})
        ).scalar_one()
        await connection.commit()  # a session lock outlives the transaction; the connection is kept idle
        if not taken:  # another live process's owner hashes alike: leave the fast path to it, keep the lease
            log.warning("presence lock taken by another worker (hash collision)", owner=self.owner)
            await connection.close()
            return False
        self.connection = connection
        return True

    async def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                await connection.invalidate()
            except Exception:  # already broken: nothing to free, the server ended the session
                log.debug("presence connection already gone", owner=self.owner)

    async def release(self) -> None:
        if self.connection is not None:
            try:
                await self.connection.close()
            finally:
                self.connection = None
        await self.engine.dispose()
