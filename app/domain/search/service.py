"""Generation search and facets over everything the caller may read, and saved views.

Visibility is the policy's READ rule rendered in SQL (app/db/stores/visibility.py), applied by the store to
every statement; the service only turns the query into a checked plan and the rows into hits.
"""

from __future__ import annotations

import dataclasses

import msgspec

from app.contracts import (
    GenerationFacets,
    GenerationSearchHit,
    GenerationSearchQuery,
    GenerationSearchResult,
    SearchSort,
)
from app.domain.actor import Actor
from app.domain.errors import Invalid
from app.domain.search.ports import SearchRow, SearchStore
from app.domain.search.query import (
    WORDS,
    SearchCursor,
    SearchPlan,
    check_ranges,
    effective_sort,
    fingerprint,
    parse_condition,
    terms_of,
)
from app.domain.search.snippets import split_marks

FACET_BUDGET_MS = 150  # facets are chips: better some of them fast than all of them late
FACET_CAP = 200_000  # matches counted at most (beyond it counts are lower bounds; `complete` says so)


def plan_for(query: GenerationSearchQuery, actor: Actor) -> SearchPlan:
    """The checked plan of a query for this caller; Invalid (400) for any bad part."""
    check_ranges(query)
    terms = terms_of(query.q)
    sort = effective_sort(query, terms)
    after = None
    if query.cursor:
        after = SearchCursor.decode(query.cursor)
        if after.sort is not sort or after.fingerprint != fingerprint(query):
            raise Invalid("this cursor belongs to another search", details={"field": "cursor"})
    return SearchPlan(
        query=query,
        viewer=actor.user_id,
        public_reads=actor.public_reads,
        terms=terms,
        conditions=tuple(parse_condition(c) for c in query.where),
        sort=sort,
        after=after,
        mode=WORDS if after is None else after.mode,
    )


def _widened(plan: SearchPlan) -> SearchPlan:
    return dataclasses.replace(plan, mode=plan.mode + 1)


def query_from(raw: object) -> GenerationSearchQuery:
    """A stored or sent query object as the contract; Invalid when it is not one."""
    try:
        return msgspec.convert(raw, GenerationSearchQuery)
    except msgspec.ValidationError as error:
        raise Invalid(f"not a search query: {error}", details={"field": "query"}) from None


class SearchService:
    def __init__(self, store: SearchStore, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    async def search(self, query: GenerationSearchQuery) -> GenerationSearchResult:
        plan = plan_for(query, self._actor)
        rows = list(await self._store.search(plan, limit=query.limit + 1))
        while not rows and plan.after is None and plan.can_widen:
            # Nothing as whole words: try prefixes, then inside words (query.WORDS, PREFIXES, INSIDE).
            plan = _widened(plan)
            rows = list(await self._store.search(plan, limit=query.limit + 1))
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        next_cursor = self._cursor(plan, rows[-1]).encode() if more and rows else None
        return GenerationSearchResult(items=[self._hit(plan, row) for row in rows], next_cursor=next_cursor)

    async def facets(self, query: GenerationSearchQuery) -> GenerationFacets:
        plan = plan_for(msgspec.structs.replace(query, cursor=None), self._actor)
        facets = await self._store.facets(plan, budget_ms=FACET_BUDGET_MS, cap=FACET_CAP)
        while (
            facets.total == 0 and facets.complete and plan.can_widen
        ):  # the same widening as the search's first page
            plan = _widened(plan)
            facets = await self._store.facets(plan, budget_ms=FACET_BUDGET_MS, cap=FACET_CAP)
        return facets

    @staticmethod
    def _hit(plan: SearchPlan, row: SearchRow) -> GenerationSearchHit:
        snippet, highlights = split_marks(row.marked_snippet, plan.terms)
        return GenerationSearchHit(
            generation=row.generation, rank=row.rank, snippet=snippet, highlights=highlights
        )

    @staticmethod
    def _cursor(plan: SearchPlan, last: SearchRow) -> SearchCursor:
        key = {SearchSort.RELEVANCE: last.rank, SearchSort.MOST_LIKED: last.likes}.get(plan.sort)
        return SearchCursor(
            sort=plan.sort,
            fingerprint=fingerprint(plan.query),
            key=key,
            created_at=last.generation.created_at,
            generation_id=last.generation.id,
            mode=plan.mode,
        )
