"""The one place tenant scoping happens: every store query goes through `TenantScoped`.

A store is built for exactly one tenant; its `where()` and `values()` helpers add the tenant to every
read and write, so no use case and no adapter can forget it. The hottest reads are statements built once
at import with a `tenant` bind parameter filled from `self.tenant_id`; SQLAlchemy refuses to run one whose
`tenant` is not bound, so they cannot forget it either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, Table
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T", bound=msgspec.Struct)


def row_to(contract: type[T], row: Any) -> T:
    """A result row as a contract; converts database enums to contract enums (attributes by column name)."""
    return msgspec.convert(row, contract, from_attributes=True)


def prefixed(columns: Sequence[ColumnElement[Any]], prefix: str) -> list[ColumnElement[Any]]:
    """Columns of a joined table, labelled `prefix + name` so they never collide with the main table's."""
    return [column.label(prefix + column.name) for column in columns]


def like_pattern(text: str) -> str:
    """`%text%` for ILIKE, with the caller's own %, _ and \\ matched literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def columns_for(
    table: Table, contract: type[msgspec.Struct], renames: dict[str, str] | None = None
) -> list[ColumnElement[Any]]:
    """The table's columns named like the contract's fields, in the contract's order.

    `renames` maps a field to a column of another name (selected AS the field, so rows still map by name).
    """
    renames = renames or {}
    return [
        table.c[renames[name]].label(name) if name in renames else table.c[name]
        for name in contract.__struct_fields__
    ]


def table_of(model: type[object]) -> Table:
    """The Core table behind a generated model (stores use Core: rows map straight onto contracts)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


class TenantScoped:
    """Base of every tenant-owned store."""

    def __init__(self, session: AsyncSession, tenant_id: UUID) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def scope(self, table: Table) -> ColumnElement[bool]:
        """`table.tenant_id = :tenant` — add it to every statement on a tenant-owned table."""
        return table.c.tenant_id == self.tenant_id

    def stamp(self, values: dict[str, Any]) -> dict[str, Any]:
        """Values for an INSERT, with the tenant set by the store (never by the caller)."""
        return {**values, "tenant_id": self.tenant_id}
