"""Stores: tenant-scoped implementations of the domain's ports, one per aggregate."""

from app.db.stores.boards import SqlBoardStore
from app.db.stores.tenancy import SqlTenancyStore

__all__ = ["SqlBoardStore", "SqlTenancyStore"]
