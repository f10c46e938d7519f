"""The declarative base the generated models sit on.

A thin base (STYLE §3.2 A6): advanced-alchemy's naming conventions and type map, without the sentinel column
its UUID bases add, because the SQL in schema/sql is the source of truth for every column.
"""

from __future__ import annotations

from advanced_alchemy.base import CommonTableAttributes, create_registry
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase


class Base(CommonTableAttributes, AsyncAttrs, DeclarativeBase):
    """Base of every generated model."""

    registry = create_registry()
    __abstract__ = True
