"""Single statements that are atomic on their own, built once and run in autocommit on a pooled connection.

A generation's lifecycle step on a worker is ONE compare-and-set (app.db.stores.lifecycle), so it needs no
transaction around it: run in autocommit it is one round trip instead of three (BEGIN, the statement,
COMMIT), and without a Session around it there is no unit-of-work bookkeeping either. Each statement is
compiled once, with SQLAlchemy's own asyncpg dialect, to the SQL asyncpg prepares, and runs through
`AsyncConnection.exec_driver_sql` (SQLAlchemy's documented path for SQL already in the driver's form: the
engine's cursor events fire, driver errors become `DBAPIError`s, a disconnect invalidates the pool).

Binds are checked by name: every named parameter must be given, and no other (a statement built with a
`tenant` bind cannot run unscoped). Constants the statement carries (literal statuses and the like) are
bound from the compiled statement itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

import msgspec
from sqlalchemy import Executable, Row
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import sqltypes
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}
_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _value_of(value: Any) -> Any:
    return getattr(value, "value", value)  # an enum member as the string the database type takes


class AtomicStatement:
    """A statement compiled once; `one_or_none` binds it by name and runs it on an autocommit connection."""

    def __init__(self, statement: Executable) -> None:
        assert isinstance(statement, ClauseElement)
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("expanding parameters are rendered per call; use plain equalities or arrays")
        self.sql = compiled.string
        self.statement = statement  # the same statement through SQLAlchemy's compiler (tests compare them)
        self._slots: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
        names: set[str] = set()
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            encode = _json_text if isinstance(bind.type, sqltypes.JSON) else None
            if bind.value is None and not bind.callable and bind.required is not False:
                names.add(name)  # a parameter the caller binds
                self._slots.append((name, encode, None))
            else:  # a constant of the statement
                constant = bind.effective_value
                self._slots.append(("", None, _value_of(constant) if encode is None else encode(constant)))
        self.names = frozenset(names)

    def bind(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        if params.keys() != self.names:
            unknown, missing = sorted(set(params) - self.names), sorted(self.names - set(params))
            raise TypeError(f"unknown parameters {unknown}, missing parameters {missing}")
        return tuple(
            constant if not name else (params[name] if encode is None or params[name] is None
                                       else encode(params[name]))
            for name, encode, constant in self._slots
        )  # fmt: skip

    async def one_or_none(self, connection: AsyncConnection, params: Mapping[str, Any]) -> Row[Any] | None:
        result = await connection.exec_driver_sql(self.sql, self.bind(params))
        rows = result.all()
        if len(rows) > 1:
            raise ValueError("more than one row")
        return rows[0] if rows else None
