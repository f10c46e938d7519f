"""Hot reads run straight on the session's asyncpg connection, without SQLAlchemy's per-statement machinery.

Profiling GetBoard and generation(id) put a fifth of their CPU in SQLAlchemy's execution path (execution
context, cursor adaptation, Result and Row building, per-column processors), for statements that are built
once at import and only bound per call. A `RawRead` is such a statement compiled once, with SQLAlchemy's own
asyncpg dialect, to the SQL asyncpg prepares. It runs on the very connection (and transaction) the session
holds, under the lock SQLAlchemy's adapter takes, starting the transaction first exactly as the adapter does
when the session is not in autocommit. The engine's before/after_cursor_execute listeners hear every
statement, as they would through the session (statement counters, tracing). Rows come back as asyncpg
Records: mappers index them by position (GENERATION_SELECT first, and so on), as SQLAlchemy's Rows allow too.

Plain SELECTs of built-once statements belong here, and the one hot INSERT (`RawInsert`, a new generation),
which runs only inside the session's transaction; every other write goes through the session.
Lists are bound as arrays (`= ANY(:ids)`): an expanding IN would be rendered anew for every list length.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from weakref import ref

import msgspec
from asyncpg import Record
from sqlalchemy import ColumnElement, Insert, Select, Uuid, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import sqltypes

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


def among(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column = ANY(:name)`, the list bound as one uuid[] parameter."""
    return column == any_(bindparam(name, type_=ARRAY(Uuid)))


_CONNECTION = "atelier.raw_connection"


async def _connection_of(session: AsyncSession) -> tuple[Any, Any]:
    """The session's Connection and SQLAlchemy's asyncpg adapter under it. Asking the session costs a greenlet
    switch every time, so the pair is kept in the session's info for as long as the session transaction that
    holds it is active (a commit or rollback ends it and releases the connection to the pool)."""
    transaction = session.sync_session.get_transaction()
    kept = session.info.get(_CONNECTION)
    if kept is not None and transaction is not None and kept[0]() is transaction and transaction.is_active:
        return kept[1], kept[2]
    connection = await session.connection()
    adapted = (await connection.get_raw_connection()).dbapi_connection
    # A weak reference: the transaction refers to the session, so a strong one would make a reference cycle
    # (the session, and every row it read, would then wait for the cyclic GC).
    session.info[_CONNECTION] = (
        ref(session.sync_session.get_transaction()),
        connection.sync_connection,
        adapted,
    )
    return connection.sync_connection, adapted


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


class RawRead:
    """A SELECT compiled once to asyncpg's SQL; run on the session's connection."""

    writes = False

    def __init__(self, statement: Select[Any] | Insert) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("expanding parameters are rendered per call; bind lists with = ANY(array)")
        self.statement = statement  # the same statement through the session (tests compare the two)
        self.sql = compiled.string
        self.names: list[str] = list(compiled.positiontup or ())
        # What SQLAlchemy's bind processors would do, for the types whose Python values asyncpg cannot take
        # as they are: JSON(B) goes as text (the dialect's jsonb codec), enums as their values.
        self._encoders: dict[str, Callable[[Any], Any]] = {}
        for name in self.names:
            bind_type = compiled.binds[name].type
            if isinstance(bind_type, sqltypes.JSON):
                self._encoders[name] = _json_text
            elif isinstance(bind_type, sqltypes.Enum):
                self._encoders[name] = _enum_value

    def _args(self, params: Mapping[str, Any]) -> list[Any]:
        if not self._encoders:
            return [params[name] for name in self.names]
        encoders = self._encoders
        return [
            params[name] if name not in encoders or params[name] is None else encoders[name](params[name])
            for name in self.names
        ]

    async def fetch(self, session: AsyncSession, params: Mapping[str, Any]) -> list[Record]:
        sync_connection, adapted = await _connection_of(session)
        if self.writes and adapted.autocommit:
            raise RuntimeError("a raw write runs only inside the session's transaction")
        args = self._args(params)
        events = sync_connection.dispatch
        events.before_cursor_execute(sync_connection, None, self.sql, args, None, False)
        async with adapted._execute_mutex:
            if adapted._transaction is None:
                await adapted._start_transaction()  # what the adapter does first; a no-op in autocommit
            records: list[Record] = await adapted._connection.fetch(self.sql, *args)
        events.after_cursor_execute(sync_connection, None, self.sql, args, None, False)
        return records

    async def fetchrow(self, session: AsyncSession, params: Mapping[str, Any]) -> Record | None:
        records = await self.fetch(session, params)
        return records[0] if records else None


class RawInsert(RawRead):
    """An INSERT … RETURNING built once, run like a RawRead, and only inside the session's transaction (the
    unit of work still commits or rolls it back; SQLAlchemy's adapter has begun the transaction first)."""

    writes = True
