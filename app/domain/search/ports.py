"""What search needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from app.contracts import GenerationFacets, SavedView
from app.domain.policy import BoardRelation
from app.domain.search.query import SearchPlan


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One hit as the store finds it: the generation, its sort keys and its marked snippet."""

    generation: Any  # app.contracts.Generation
    rank: float | None
    likes: int | None
    marked_snippet: str | None


class SearchStore(Protocol):
    async def search(self, plan: SearchPlan, *, limit: int) -> Sequence[SearchRow]:
        """Up to `limit` readable matches after plan.after, in plan.sort order (visibility in SQL)."""
        ...

    async def facets(self, plan: SearchPlan, *, budget_ms: int, cap: int) -> GenerationFacets:
        """Counts over at most `cap` matches; facets that do not fit in `budget_ms` are skipped."""
        ...


class SavedViewStore(Protocol):
    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def insert(self, values: dict[str, Any]) -> SavedView | None:
        """None when the user already has a view of that name."""
        ...

    async def visible(self, *, user_id: UUID, public_reads: bool, board_id: UUID | None) -> list[SavedView]:
        """The user's own views and those shared on boards they may read (of one board, when given)."""
        ...

    async def get(self, view_id: UUID) -> SavedView | None: ...

    async def delete(self, view_id: UUID) -> bool: ...
