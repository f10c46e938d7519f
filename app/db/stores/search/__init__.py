"""Generation search in SQL (matching, ranking, keyset pages, facets) and saved views."""

from app.db.stores.search.saved_views import SqlSavedViewStore
from app.db.stores.search.store import SqlSearchStore

__all__ = ["SqlSavedViewStore", "SqlSearchStore"]
