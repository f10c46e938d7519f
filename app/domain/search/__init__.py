"""Finding generations: search, facets and saved views (batches live with the creation use case)."""

from app.domain.search.ports import SavedViewStore, SearchRow, SearchStore
from app.domain.search.service import SearchService
from app.domain.search.views import SavedViewService

__all__ = ["SavedViewService", "SavedViewStore", "SearchRow", "SearchService", "SearchStore"]
