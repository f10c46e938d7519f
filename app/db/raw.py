"""Hot statements built once: compiled at import, run through SQLAlchemy's public `AsyncConnection` API.

Profiling GetBoard and generation(id) put a fifth of their CPU in SQLAlchemy's per-statement machinery for
statements that are the same on every call: the cache key of a large SELECT, the compiled-cache lookup,
bind and result processors. A `Prepared` statement is compiled once, with SQLAlchemy's own asyncpg dialect,
to the SQL asyncpg prepares, and runs with `AsyncConnection.exec_driver_sql` on the session's connection:
SQLAlchemy's documented path for SQL that is already in the driver's form. So everything the session
path guarantees holds here too: the adapter begins the transaction (or runs in autocommit), asyncpg errors
are translated into SQLAlchemy's `DBAPIError`s, a disconnect invalidates the pool (app/db/liveness.py),
and the engine's before/after_cursor_execute listeners hear the statement.

Binds are checked by name: a parameter the statement does not know, or one it needs and did not get,
raises (`Prepared.bind`). Rows map to contracts by column name (`app.db.stores._rows.RowMapper`).

Every Prepared statement is registered in `STATEMENTS` under a unique name: the registry is what
tests/integration/db/test_raw_reads.py compares, statement by statement, with the same statement run
through the session. Plain SELECTs belong here, and the one hot INSERT (`writes=True`, a new generation),
which runs only inside the session's transaction; every other write goes through the session.
Lists are bound as arrays (`= ANY(:ids)`): an expanding IN would be rendered anew for every list length.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from weakref import ref

import msgspec
from sqlalchemy import ColumnElement, Insert, Row, Select, Uuid, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import sqltypes

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]

STATEMENTS: dict[str, Prepared] = {}
"""Every built-once statement of the app, by name (tests compare each with the session path)."""


def among(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column = ANY(:name)`, the list bound as one uuid[] parameter."""
    return column == any_(bindparam(name, type_=ARRAY(Uuid)))


_CONNECTION = "atelier.prepared_connection"


async def _connection_of(session: AsyncSession) -> AsyncConnection:
    """The session's AsyncConnection. Asking the session costs a greenlet switch every time, so it is kept in
    the session's info for as long as the session transaction that holds it is active (a commit or rollback
    ends it and releases the connection to the pool)."""
    transaction = session.sync_session.get_transaction()
    kept = session.info.get(_CONNECTION)
    if kept is not None and transaction is not None and kept[0]() is transaction and transaction.is_active:
        connection: AsyncConnection = kept[1]
        return connection
    connection = await session.connection()
    # A weak reference: the transaction refers to the session, so a strong one would make a reference cycle
    # (the session, and every row it read, would then wait for the cyclic GC).
    session.info[_CONNECTION] = (ref(session.sync_session.get_transaction()), connection)
    return connection


def _autocommit(connection: AsyncConnection) -> bool:
    sync = connection.sync_connection
    return sync is not None and sync.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


class Prepared:
    """A statement compiled once to asyncpg's SQL and registered by name; run on the session's connection."""

    def __init__(self, name: str, statement: Select[Any] | Insert, *, writes: bool = False) -> None:
        if name in STATEMENTS:
            raise ValueError(f"a prepared statement named {name!r} exists already")
        compiled = statement.compile(dialect=_DIALECT)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("expanding parameters are rendered per call; bind lists with = ANY(array)")
        self.name = name
        self.writes = writes
        self.statement = statement  # the same statement through the session (tests compare the two)
        self.sql = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self._known = frozenset(self.names)
        # What SQLAlchemy's bind processors would do, for the types whose Python values asyncpg cannot take
        # as they are: JSON(B) goes as text (the dialect's jsonb codec), enums as their values.
        self._encoders: dict[str, Callable[[Any], Any]] = {}
        for bind_name in self._known:
            bind_type = compiled.binds[bind_name].type
            if isinstance(bind_type, sqltypes.JSON):
                self._encoders[bind_name] = _json_text
            elif isinstance(bind_type, sqltypes.Enum):
                self._encoders[bind_name] = _enum_value
        STATEMENTS[name] = self

    def bind(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional arguments for `params`, which must name exactly the statement's parameters."""
        if params.keys() != self._known:
            unknown = sorted(set(params) - self._known)
            missing = sorted(self._known - set(params))
            raise TypeError(f"{self.name}: unknown parameters {unknown}, missing parameters {missing}")
        if not self._encoders:
            return tuple([params[name] for name in self.names])
        encoders = self._encoders
        return tuple(
            [
                params[name] if name not in encoders or params[name] is None else encoders[name](params[name])
                for name in self.names
            ]
        )

    async def fetch(self, session: AsyncSession, params: Mapping[str, Any]) -> Rows:
        """The statement's rows, with its column names (run in the session's transaction, or autocommit)."""
        args = self.bind(params)
        connection = await _connection_of(session)
        if self.writes and _autocommit(connection):
            raise RuntimeError("a prepared write runs only inside the session's transaction")
        result = await connection.exec_driver_sql(self.sql, args)
        return Rows(tuple(result.keys()), result.all())


class Rows:
    """Rows of one result and the names of its columns (what name-based mappers resolve against)."""

    __slots__ = ("keys", "rows")

    def __init__(self, keys: tuple[str, ...], rows: Sequence[Row[Any]]) -> None:
        self.keys = keys
        self.rows = rows

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def one_or_none(self) -> Row[Any] | None:
        if len(self.rows) > 1:
            raise ValueError("more than one row")
        return self.rows[0] if self.rows else None
