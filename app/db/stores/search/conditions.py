"""A search shape as SQL conditions: every value is a named parameter read from the plan (shape.Binder); only
fixed names are literal. The builders see the Shape, never the plan, so a statement cached for one plan fits
every plan of its shape.

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
    Integer,
    Numeric,
    Select,
    Text,
    Uuid,
    and_,
    any_,
    case,
    cast,
    exists,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from app.contracts import SearchSort
from app.db.models import GenerationTag, Like
from app.db.models import Tag as TagModel
from app.db.stores._scoped import like_pattern, table_of
from app.db.stores.generations import boards, generations, members
from app.db.stores.search.shape import Binder, ConditionShape, Getter, Shape, equal_candidates
from app.db.stores.visibility import readable_boards
from app.domain.search.query import WORDS, SearchCursor, SearchPlan

g = generations
likes = table_of(Like)
tags = table_of(TagModel)
generation_tags = table_of(GenerationTag)

ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
# Literal key, so the planner matches the expression index ix_generations_prompt_trgm.
PROMPT: ColumnElement[str] = g.c.input_params.op("->>", return_type=Text)(literal_column("'prompt'"))


def tsquery(text: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.to_tsquery(ENGLISH, text)


def any_term_text(plan: SearchPlan, tenant: Any = None) -> str:
    """Any of the words as prefixes: what ranking and highlighting measure."""
    return " | ".join(f"{t}:*" for t in plan.terms)


def _term(shape: Shape, i: int, bind: Binder) -> ColumnElement[bool]:
    """Word i: a (stemmed) word or a prefix of an indexed word (by the plan's mode), or also (3+ characters)
    anywhere inside the prompt."""

    def pattern(plan: SearchPlan, tenant: Any) -> str:
        return plan.terms[i] if plan.mode == WORDS else f"{plan.terms[i]}:*"

    words: ColumnElement[bool] = g.c.search_vector.op("@@", return_type=Boolean)(tsquery(bind(pattern, Text)))
    if not shape.inside[i]:
        return words
    inside = bind(lambda plan, tenant: like_pattern(plan.terms[i]), Text)
    return or_(words, PROMPT.ilike(inside))


def likes_of() -> ColumnElement[Any]:
    return select(func.count()).where(likes.c.generation_id == g.c.id).scalar_subquery()


def _path(column: Any, path: ColumnElement[Any]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """(jsonb, text) at a path bound as one text[] (`#>`, `#>>`: jsonb_extract_path(_text) with the keys)."""
    return column.op("#>", return_type=JSONB)(path), column.op("#>>", return_type=Text)(path)


def number_at(column: Any, path: ColumnElement[Any], bind: Binder) -> ColumnElement[Any]:
    """The number at `path`, or NULL when it holds anything else (never a cast error)."""
    value, text = _path(column, path)
    return case((func.jsonb_typeof(value) == bind.const("number", Text), cast(text, Numeric)), else_=None)


def metadata(shape: ConditionShape, i: int, bind: Binder) -> ColumnElement[bool]:
    column = g.c.input_params if shape.scope == "input" else g.c.output_metadata
    path = bind(lambda plan, tenant: list(plan.conditions[i].path), ARRAY(Text))
    value, text = _path(column, path)
    if shape.op in ("=", "!="):
        candidates = [bind(_candidate(i, n), JSONB) for n in range(shape.candidates)]
        equal = or_(*(value == candidate for candidate in candidates))
        return equal if shape.op == "=" else and_(value.is_not(None), not_(equal))
    if shape.op == "~":
        contains = bind(lambda plan, tenant: like_pattern(str(plan.conditions[i].value)), Text)
        return and_(func.jsonb_typeof(value) == bind.const("string", Text), text.ilike(contains))
    number = number_at(column, path, bind)
    bound = bind(lambda plan, tenant: Decimal(str(plan.conditions[i].value)), Numeric)
    return {"<": number < bound, "<=": number <= bound, ">": number > bound, ">=": number >= bound}[shape.op]


def _candidate(i: int, n: int) -> Getter:
    return lambda plan, tenant: equal_candidates(plan.conditions[i].value)[n]


def _field(name: str) -> Getter:
    return lambda plan, tenant: getattr(plan.query, name)


def _dimension(name: str, bind: Binder) -> ColumnElement[Any]:
    path = bind.const([name], ARRAY(Text))
    return func.coalesce(number_at(g.c.output_metadata, path, bind), number_at(g.c.input_params, path, bind))


def _lists(shape: Shape, bind: Binder) -> list[ColumnElement[bool]]:
    """List filters as `column = ANY(array)`: one SQL text whatever the lists' lengths."""
    columns = (g.c.generator_name, g.c.artifact_type, g.c.status, g.c.board_id, g.c.user_id)
    types: tuple[Any, ...] = (Text, g.c.artifact_type.type, g.c.status.type, Uuid, Uuid)
    getters: tuple[Getter, ...] = (
        lambda plan, tenant: list(plan.query.generator_names),
        lambda plan, tenant: [a.value for a in plan.query.artifact_types],
        lambda plan, tenant: [s.value for s in plan.query.statuses],
        lambda plan, tenant: list(plan.query.board_ids),
        lambda plan, tenant: list(plan.query.user_ids),
    )
    return [
        column == any_(bind(getter, ARRAY(type_)))
        for present, column, type_, getter in zip(shape.lists, columns, types, getters, strict=True)
        if present
    ]


def _relations(shape: Shape, bind: Binder) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if shape.tags:
        tagged: Select[Any] = (
            select(literal_column("1"))
            .select_from(generation_tags.join(tags, tags.c.id == generation_tags.c.tag_id))
            .where(
                generation_tags.c.generation_id == g.c.id,
                tags.c.tenant_id == bind(lambda plan, tenant: tenant, Uuid),
                tags.c.slug == any_(bind(lambda plan, tenant: list(plan.query.tags), ARRAY(Text))),
            )
        )
        found.append(exists(tagged))
    if shape.liked_by_me:
        if not shape.signed_in:
            found.append(false())
        else:
            viewer = bind(lambda plan, tenant: plan.viewer, Uuid)
            mine: Select[Any] = select(literal_column("1")).where(
                likes.c.generation_id == g.c.id, likes.c.user_id == viewer
            )
            found.append(exists(mine))
    return found


def _scalars(shape: Shape, bind: Binder) -> list[ColumnElement[bool]]:
    has = dict(
        zip(("batch", "after", "before", "seed", "minw", "maxw", "minh", "maxh"), shape.scalars, strict=True)
    )
    found: list[ColumnElement[bool]] = []
    if has["batch"]:
        found.append(g.c.batch_id == bind(lambda plan, tenant: plan.query.batch_id, Uuid))
    if has["after"]:
        found.append(
            g.c.created_at >= bind(lambda plan, tenant: plan.query.created_after, g.c.created_at.type)
        )
    if has["before"]:
        found.append(
            g.c.created_at < bind(lambda plan, tenant: plan.query.created_before, g.c.created_at.type)
        )
    if has["seed"]:
        seed = bind(lambda plan, tenant: {"seed": plan.query.seed}, JSONB)
        found.append(or_(g.c.input_params.contains(seed), g.c.output_metadata.contains(seed)))
    for name, low, high in (("width", "minw", "maxw"), ("height", "minh", "maxh")):
        if has[low]:
            found.append(_dimension(name, bind) >= bind(_field(f"min_{name}"), Integer))
        if has[high]:
            found.append(_dimension(name, bind) <= bind(_field(f"max_{name}"), Integer))
    return found


def matching(shape: Shape, bind: Binder) -> list[ColumnElement[bool]]:
    """Every condition of the shape, visibility first."""
    tenant = bind(lambda plan, tenant: tenant, Uuid)
    viewer = bind(lambda plan, tenant: plan.viewer, Uuid) if shape.signed_in else None
    visible = select(boards.c.id).where(
        boards.c.tenant_id == tenant,
        readable_boards(boards, members, viewer, public_reads=shape.public_reads),
    )
    found = [g.c.tenant_id == tenant, g.c.board_id.in_(visible)]
    found += [_term(shape, i, bind) for i in range(shape.terms)]
    found += _lists(shape, bind) + _relations(shape, bind) + _scalars(shape, bind)
    found += [metadata(c, i, bind) for i, c in enumerate(shape.conditions)]
    return found


def order_and_after(
    shape: Shape, bind: Binder, lead: tuple[ColumnElement[Any], ColumnElement[Any]] | None
) -> tuple[list[Any], list[ColumnElement[bool]]]:
    """ORDER BY of the shape's sort, and the keyset condition of its cursor (all keys immutable but likes).
    `lead` is the sort's first key (rank or likes) as (expression, its label in the select list): ORDER BY
    names the label, so PostgreSQL computes it once per row."""
    created, ident = g.c.created_at, g.c.id
    if shape.sort is SearchSort.OLDEST:
        return [created.asc(), ident.asc()], ([tuple_(created, ident) > _after(bind)] if shape.after else [])
    if lead is None:
        return [created.desc(), ident.desc()], (
            [tuple_(created, ident) < _after(bind)] if shape.after else []
        )
    expression, label = lead
    order = [label.desc(), created.desc(), ident.desc()]
    if not shape.after:
        return order, []
    if shape.sort is SearchSort.RELEVANCE:
        bound = bind(lambda plan, tenant: float(_cursor(plan).key or 0), REAL)
    else:
        bound = bind(lambda plan, tenant: int(_cursor(plan).key or 0), Integer)
    return order, [tuple_(expression, created, ident) < tuple_(bound, *_after(bind).clauses)]


def _cursor(plan: SearchPlan) -> SearchCursor:
    assert plan.after is not None  # the shape has a cursor
    return plan.after


def _after(bind: Binder) -> Any:
    """(created_at, id) of the cursor: the tie-breaking keys of every order."""
    return tuple_(
        bind(lambda plan, tenant: _cursor(plan).created_at, g.c.created_at.type),
        bind(lambda plan, tenant: _cursor(plan).generation_id, Uuid),
    )
