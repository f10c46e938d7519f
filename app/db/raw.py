"""Hot statements built once: compiled at import, run on the session's connection through public seams.

Profiling GetBoard and generation(id) put a fifth of their CPU in SQLAlchemy's per-statement machinery for
statements that are the same on every call: the cache key of a large SELECT, the compiled-cache lookup,
bind processors, and a result's metadata (four calls per column on every execution of textual SQL, so
`AsyncConnection.exec_driver_sql` still cost GetBoard about 350 Python calls more than reaching into the
adapter did). A `Prepared` statement is compiled once, with SQLAlchemy's own asyncpg dialect, to the SQL
asyncpg prepares, and runs on the DBAPI cursor of the session's connection (PEP 249, through
`AsyncConnection.run_sync`, `Connection.connection.cursor()`):

- SQLAlchemy's asyncpg adapter IS that cursor: it takes the connection's lock, begins the transaction the
  session holds (or runs in autocommit), prepares through its statement cache and turns asyncpg's errors
  into DBAPI errors carrying the SQLSTATE;
- those are wrapped as SQLAlchemy wraps them (`DBAPIError.instance`), and a disconnect invalidates the
  connection (`Dialect.is_disconnect`, `Connection.invalidate`), so app/db/liveness.py and the 503 handler
  see what they see on the session path;
- the engine's before/after_cursor_execute listeners hear the statement (statement counters, tracing).

Binds are checked by name: a parameter the statement does not know, or one it needs and did not get,
raises (`Prepared.bind`). Rows (asyncpg Records, indexable like Rows) map to contracts by column name
(`app.db.stores._rows.RowMapper`).

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
from sqlalchemy import ColumnElement, Connection, Insert, Select, Uuid, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import DBAPIError
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
        self._keys: tuple[str, ...] | None = None
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
        return await connection.run_sync(self._run, args)

    def _run(self, sync: Connection, args: tuple[Any, ...]) -> Rows:
        cursor = sync.connection.cursor()
        events = sync.dispatch
        events.before_cursor_execute(sync, cursor, self.sql, args, None, False)
        try:
            cursor.execute(self.sql, args)
            rows = cursor.fetchall()
            keys = self._keys
            if keys is None:  # the same statement always has the same columns
                keys = self._keys = tuple([column[0] for column in cursor.description or ()])
        except sync.dialect.loaded_dbapi.Error as error:
            raise _translated(sync, cursor, self.sql, args, error) from error
        finally:
            cursor.close()
        events.after_cursor_execute(sync, cursor, self.sql, args, None, False)
        return Rows(keys, rows)


def _translated(sync: Connection, cursor: Any, sql: str, args: tuple[Any, ...], error: Any) -> Exception:
    """The DBAPI error as SQLAlchemy's DBAPIError (what the session path raises); a disconnect invalidates the
    connection, so the pool never hands it out again."""
    dialect = sync.dialect
    disconnect = dialect.is_disconnect(error, sync.connection.dbapi_connection, cursor)
    wrapped: Exception = DBAPIError.instance(
        sql, args, error, dialect.loaded_dbapi.Error, connection_invalidated=disconnect, dialect=dialect
    )
    if disconnect:
        sync.invalidate(wrapped)
    return wrapped


class Rows:
    """Rows of one result and the names of its columns (what name-based mappers resolve against)."""

    __slots__ = ("keys", "rows")

    def __init__(self, keys: tuple[str, ...], rows: Sequence[Any]) -> None:
        self.keys = keys
        self.rows = rows

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def one_or_none(self) -> Any:
        if len(self.rows) > 1:
            raise ValueError("more than one row")
        return self.rows[0] if self.rows else None
