"""A search plan as SQL conditions: every value is a bound parameter; only fixed names are literal.

The visibility condition is the policy's READ rule (app/db/stores/visibility.py), the same one every other
cross-board list uses, so search can never show a row the caller could not open.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    REAL,
    Boolean,
    ColumnElement,
    Numeric,
    Text,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import JSONB

from app.contracts import SearchSort
from app.db.models import GenerationTag, Like
from app.db.models import Tag as TagModel
from app.db.stores._scoped import like_pattern, table_of
from app.db.stores.generations import boards, generations, members
from app.db.stores.visibility import readable_boards
from app.domain.search.query import INFIX_MIN, INSIDE, WORDS, MetadataCondition, SearchPlan

g = generations
likes = table_of(Like)
tags = table_of(TagModel)
generation_tags = table_of(GenerationTag)

ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
# Literal key, so the planner matches the expression index ix_generations_prompt_trgm.
PROMPT: ColumnElement[str] = g.c.input_params.op("->>", return_type=Text)(literal_column("'prompt'"))


def _tsquery(text: str) -> ColumnElement[Any]:
    return func.to_tsquery(ENGLISH, literal(text))


def any_term_query(terms: tuple[str, ...]) -> ColumnElement[Any]:
    """Any of the words as prefixes: what ranking and highlighting measure."""
    return _tsquery(" | ".join(f"{t}:*" for t in terms))


def _term(term: str, *, mode: int) -> ColumnElement[bool]:
    """A (stemmed) word, a prefix of an indexed word, or (3+ characters) anywhere inside the prompt."""
    pattern = term if mode == WORDS else f"{term}:*"
    words: ColumnElement[bool] = g.c.search_vector.op("@@", return_type=Boolean)(_tsquery(pattern))
    if mode != INSIDE or len(term) < INFIX_MIN:
        return words
    return or_(words, PROMPT.ilike(like_pattern(term)))


def rank_of(plan: SearchPlan) -> ColumnElement[Any]:
    if not plan.terms:
        return literal(None, REAL)
    return func.ts_rank(g.c.search_vector, any_term_query(plan.terms))


def likes_of() -> ColumnElement[Any]:
    return select(func.count()).where(likes.c.generation_id == g.c.id).scalar_subquery()


def _path(column: Any, path: tuple[str, ...]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    keys = [literal(part) for part in path]
    return func.jsonb_extract_path(column, *keys), func.jsonb_extract_path_text(column, *keys)


def number_at(column: Any, path: tuple[str, ...]) -> ColumnElement[Any]:
    """The number at `path`, or NULL when it holds anything else (never a cast error)."""
    value, text = _path(column, path)
    return case((func.jsonb_typeof(value) == "number", cast(text, Numeric)), else_=None)


def _equal_candidates(value: Any) -> list[Any]:
    """`=42` matches 42 and "42"; `="7"` matches "7" and 7: people do not know how a provider typed it."""
    found = [value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        found.append(str(value))
    elif isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 19:
        found.append(int(value))
    return found


def metadata(condition: MetadataCondition) -> ColumnElement[bool]:
    column = g.c.input_params if condition.scope == "input" else g.c.output_metadata
    value, text = _path(column, condition.path)
    if condition.op in ("=", "!="):
        equal = or_(*(value == literal(v, JSONB) for v in _equal_candidates(condition.value)))
        return equal if condition.op == "=" else and_(value.is_not(None), not_(equal))
    if condition.op == "~":
        return and_(func.jsonb_typeof(value) == "string", text.ilike(like_pattern(str(condition.value))))
    number = number_at(column, condition.path)
    bound = literal(Decimal(str(condition.value)), Numeric)
    return {"<": number < bound, "<=": number <= bound, ">": number > bound, ">=": number >= bound}[
        condition.op
    ]


def _dimension(name: str) -> ColumnElement[Any]:
    return func.coalesce(number_at(g.c.output_metadata, (name,)), number_at(g.c.input_params, (name,)))


def _lists(plan: SearchPlan) -> list[ColumnElement[bool]]:
    q = plan.query
    found: list[ColumnElement[bool]] = []
    if q.generator_names:
        found.append(g.c.generator_name.in_(q.generator_names))
    if q.artifact_types:
        found.append(g.c.artifact_type.in_([a.value for a in q.artifact_types]))
    if q.statuses:
        found.append(g.c.status.in_([s.value for s in q.statuses]))
    if q.board_ids:
        found.append(g.c.board_id.in_(q.board_ids))
    if q.user_ids:
        found.append(g.c.user_id.in_(q.user_ids))
    return found


def _relations(plan: SearchPlan, tenant_id: Any) -> list[ColumnElement[bool]]:
    q = plan.query
    found: list[ColumnElement[bool]] = []
    if q.tags:
        tagged = (
            select(literal(1))
            .select_from(generation_tags.join(tags, tags.c.id == generation_tags.c.tag_id))
            .where(
                generation_tags.c.generation_id == g.c.id,
                tags.c.tenant_id == tenant_id,
                tags.c.slug.in_(q.tags),
            )
        )
        found.append(exists(tagged))
    if q.liked_by_me:
        if plan.viewer is None:
            found.append(false())
        else:
            mine = select(literal(1)).where(likes.c.generation_id == g.c.id, likes.c.user_id == plan.viewer)
            found.append(exists(mine))
    return found


def _scalars(plan: SearchPlan) -> list[ColumnElement[bool]]:
    q = plan.query
    found: list[ColumnElement[bool]] = []
    if q.batch_id is not None:
        found.append(g.c.batch_id == q.batch_id)
    if q.created_after is not None:
        found.append(g.c.created_at >= q.created_after)
    if q.created_before is not None:
        found.append(g.c.created_at < q.created_before)
    if q.seed is not None:
        seed = {"seed": q.seed}
        found.append(or_(g.c.input_params.contains(seed), g.c.output_metadata.contains(seed)))
    for name, low, high in (
        ("width", q.min_width, q.max_width),
        ("height", q.min_height, q.max_height),
    ):
        if low is not None:
            found.append(_dimension(name) >= low)
        if high is not None:
            found.append(_dimension(name) <= high)
    return found


def matching(plan: SearchPlan, tenant_id: Any) -> list[ColumnElement[bool]]:
    """Every condition of the plan, visibility first."""
    visible = select(boards.c.id).where(
        boards.c.tenant_id == tenant_id,
        readable_boards(boards, members, plan.viewer, public_reads=plan.public_reads),
    )
    found = [g.c.tenant_id == tenant_id, g.c.board_id.in_(visible)]
    found += [_term(t, mode=plan.mode) for t in plan.terms]
    found += _lists(plan) + _relations(plan, tenant_id) + _scalars(plan)
    found += [metadata(c) for c in plan.conditions]
    return found


def order_and_after(plan: SearchPlan) -> tuple[list[Any], list[ColumnElement[bool]]]:
    """ORDER BY of the plan's sort, and the keyset condition of its cursor (all keys immutable but likes)."""
    created, ident = g.c.created_at, g.c.id
    after = plan.after
    if plan.sort is SearchSort.OLDEST:
        order = [created.asc(), ident.asc()]
        keyset = (
            [] if after is None else [tuple_(created, ident) > tuple_(after.created_at, after.generation_id)]
        )
        return order, keyset
    lead: ColumnElement[Any] | None = None
    bound: Any = None
    if plan.sort is SearchSort.RELEVANCE:
        lead, bound = rank_of(plan), cast(literal(float((after.key if after else 0) or 0)), REAL)
    elif plan.sort is SearchSort.MOST_LIKED:
        lead, bound = likes_of(), int((after.key if after else 0) or 0)
    keys = [created, ident] if lead is None else [lead, created, ident]
    order = [k.desc() for k in keys]
    if after is None:
        return order, []
    values = [after.created_at, after.generation_id]
    values = values if lead is None else [bound, *values]
    return order, [tuple_(*keys) < tuple_(*values)]
