"""Implements app.domain.search.SearchStore: one statement per page, one per facet set."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from sqlalchemy import (
    REAL,
    ColumnElement,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    cast,
    false,
    func,
    null,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import FacetCount, GenerationFacets, SearchSort
from app.db.stores._scoped import TenantScoped
from app.db.stores.generations import GENERATION_SELECT, UrlSigner, to_generation
from app.db.stores.search.conditions import (
    ENGLISH,
    PROMPT,
    any_term_text,
    g,
    generation_tags,
    likes_of,
    matching,
    order_and_after,
    tags,
    tsquery,
)
from app.db.stores.search.shape import Binder, Shape, shape_of
from app.domain.search.ports import SearchRow
from app.domain.search.query import SearchPlan
from app.domain.search.snippets import START, STOP

_WIDTH = len(GENERATION_SELECT)
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15"
FACET_TOP = 20
QUERY_CANCELED = "57014"
LIMIT = "row_limit"
SHAPES_KEPT = 256  # statements kept per kind; a shape is a combination of filters, so few recur


@functools.lru_cache(maxsize=SHAPES_KEPT)
def page_of_shape(shape: Shape) -> tuple[Select[Any], Binder]:
    """One flat SELECT ... ORDER BY ... LIMIT: PostgreSQL evaluates the costly snippet (ts_headline) and the
    likes count only for the rows the LIMIT keeps (it postpones expensive target expressions past the
    sort), and no subquery means SQLAlchemy builds no column proxies."""
    bind = Binder()
    rank: ColumnElement[Any] = cast(null(), REAL)
    snippet: ColumnElement[Any] = null()
    if shape.terms:
        # Any of the words as prefixes, parsed once per statement (an InitPlan), not once per row.
        words = select(tsquery(bind(any_term_text, Text))).scalar_subquery()
        rank = func.ts_rank(g.c.search_vector, words)
        snippet = func.ts_headline(ENGLISH, PROMPT, words, bind.const(HEADLINE, Text))
    likes = likes_of()
    ranked, liked = rank.label("rank"), likes.label("likes")
    lead = {SearchSort.RELEVANCE: (rank, ranked), SearchSort.MOST_LIKED: (likes, liked)}.get(shape.sort)
    order, keyset = order_and_after(shape, bind, lead)
    statement = (
        select(*GENERATION_SELECT, ranked, liked, snippet)
        .where(*matching(shape, bind), *keyset)
        .order_by(*order)
        .limit(bindparam(LIMIT, type_=Integer))
    )
    return statement, bind


@functools.lru_cache(maxsize=SHAPES_KEPT)
def facets_of_shape(shape: Shape) -> tuple[Any, Binder]:
    """Counts per generator, artifact type, day, week and tag over the first LIMIT matches, and their total:
    one statement (one round trip)."""
    bind = Binder()
    matched = (
        select(g.c.id, g.c.generator_name, g.c.artifact_type, g.c.created_at)
        .where(*matching(shape, bind))
        .limit(bindparam(LIMIT, type_=Integer))
        .cte("matched")
    )
    utc = func.timezone(bind.const("UTC", Text), matched.c.created_at)
    day = func.to_char(utc, bind.const("YYYY-MM-DD", Text))
    week = func.to_char(func.date_trunc(bind.const("week", Text), utc), bind.const("YYYY-MM-DD", Text))

    def by(kind: str, value: Any) -> Any:
        return select(
            bind.const(kind, String).label("kind"), cast(value, String).label("value"),
            cast(null(), String).label("label"), func.count().label("n"),
        ).select_from(matched).group_by(value)  # fmt: skip

    tagged = (
        select(bind.const("tag", String), tags.c.slug, tags.c.name, func.count())
        .select_from(generation_tags.join(tags, tags.c.id == generation_tags.c.tag_id))
        .where(generation_tags.c.generation_id.in_(select(matched.c.id)))
        .group_by(tags.c.slug, tags.c.name)
    )
    total = select(
        bind.const("total", String), cast(null(), String), cast(null(), String), func.count()
    ).select_from(matched)
    statement = union_all(
        by("generator", matched.c.generator_name),
        by("artifact_type", matched.c.artifact_type),
        by("day", day),
        by("week", week),
        tagged,
        total,
    )
    return statement, bind


class SqlSearchStore(TenantScoped):
    def __init__(self, session: AsyncSession, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._urls = urls

    def page_statement(self, plan: SearchPlan, limit: int) -> tuple[Select[Any], dict[str, Any]]:
        """The page's statement (built once per shape) and its parameters for this plan."""
        statement, bind = page_of_shape(shape_of(plan))
        return statement, {**bind.values(plan, self.tenant_id), LIMIT: limit}

    async def search(self, plan: SearchPlan, *, limit: int) -> Sequence[SearchRow]:
        statement, params = self.page_statement(plan, limit)
        # On the session's connection (Core): the ORM layer of Session.execute adds nothing to a Core SELECT
        # but ~0.25 ms of CPU per page (measured on 51 rows).
        connection = await self.session.connection()
        rows = (await connection.execute(statement, params)).all()
        return [
            SearchRow(
                generation=to_generation(row, self._urls),
                rank=None if row[_WIDTH] is None else float(row[_WIDTH]),
                likes=int(row[_WIDTH + 1]),
                marked_snippet=row[_WIDTH + 2],
            )
            for row in rows
        ]

    async def facets(self, plan: SearchPlan, *, budget_ms: int, cap: int) -> GenerationFacets:
        started = time.monotonic()
        rows = await self.within_budget(self.facet_statement(plan, cap), budget_ms)
        complete = rows is not None and _total(rows) < cap  # at the cap, counts are lower bounds
        if rows is None:  # over budget: count a small sample instead, and say so
            remaining = max(budget_ms - int((time.monotonic() - started) * 1000), 20)
            rows = await self.within_budget(self.facet_statement(plan, min(cap, 5_000)), remaining)
        return _facets(rows, complete=complete)

    def facet_statement(self, plan: SearchPlan, cap: int) -> tuple[Any, dict[str, Any]]:
        """The facets' statement (built once per shape) and its parameters for this plan."""
        statement, bind = facets_of_shape(shape_of(plan))
        return statement, {**bind.values(plan, self.tenant_id), LIMIT: cap}

    async def within_budget(self, statement: tuple[Any, dict[str, Any]], budget_ms: int) -> list[Any] | None:
        """The statement's rows, or None when it ran past the budget (cancelled by PostgreSQL itself)."""
        try:
            async with self._statement_timeout(budget_ms):
                return list((await self.session.execute(*statement)).all())
        except DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) == QUERY_CANCELED:
                return None
            raise

    @asynccontextmanager
    async def _statement_timeout(self, ms: int) -> AsyncIterator[None]:
        """statement_timeout for the statements inside. In autocommit (REST and GraphQL reads): set on the
        session's connection, then RESET (nothing else sets it, so RESET restores the connection's own value;
        3 round trips, not 4). In a transaction, inside a savepoint (a cancelled statement then rolls back
        only the savepoint, and with it the setting)."""
        connection = await self.session.connection()
        options = connection.sync_connection.get_execution_options() if connection.sync_connection else {}
        if options.get("isolation_level") == "AUTOCOMMIT":
            await self._set_timeout(str(ms), local=False)
            try:
                yield
            finally:
                await self.session.execute(text("RESET statement_timeout"))
            return
        previous = (
            await self.session.execute(select(func.current_setting("statement_timeout")))
        ).scalar_one()
        async with self.session.begin_nested():
            await self._set_timeout(str(ms), local=True)
            yield
            await self._set_timeout(previous, local=True)

    async def _set_timeout(self, value: str, *, local: bool) -> None:
        setting = func.set_config("statement_timeout", value, true() if local else false())
        await self.session.execute(select(setting))


def _total(rows: list[Any]) -> int:
    return next((int(count) for kind, _, _, count in rows if kind == "total"), 0)


def _facets(rows: list[Any] | None, *, complete: bool) -> GenerationFacets:
    buckets: dict[str, list[FacetCount]] = {
        k: [] for k in ("generator", "artifact_type", "tag", "day", "week")
    }
    total = 0
    for kind, value, label, count in rows or []:
        if kind == "total":
            total = int(count)
        elif value is not None:
            buckets[kind].append(FacetCount(value=str(value), label=label, count=int(count)))
    by_count = {k: sorted(v, key=lambda f: (-f.count, f.value))[:FACET_TOP] for k, v in buckets.items()}
    by_time = {k: sorted(buckets[k], key=lambda f: f.value, reverse=True) for k in ("day", "week")}
    return GenerationFacets(
        total=total,
        generators=by_count["generator"],
        artifact_types=by_count["artifact_type"],
        tags=by_count["tag"],
        days=by_time["day"][:90],
        weeks=by_time["week"][:53],
        complete=complete and rows is not None,
        skipped=[] if rows is not None else ["generators", "artifactTypes", "tags", "days", "weeks"],
    )
