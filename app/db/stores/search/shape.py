"""Search statements are built once per query shape and bound per request (compile once, bind many).

Building a search statement and its SQLAlchemy cache key cost more API CPU than the database spent running it
(bench/README.md, search rows). The statement only varies in SHAPE: which filters are present, how many words
and metadata conditions, the sort, whether a cursor is given. A `Shape` holds exactly those facts, and the
builders in conditions.py see only the shape; every value reaches SQL through a `Binder`, as a named
parameter with a getter that reads it from the plan at execution time. So a statement built for one plan can
only differ from another plan of the same shape in its parameters, never in its SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import BindParameter, bindparam

from app.contracts import SearchSort
from app.domain.search.query import INFIX_MIN, INSIDE, SearchPlan

Getter = Callable[[SearchPlan, UUID], Any]  # (plan, tenant id) -> a parameter's value


class Binder:
    """Names the parameters of a statement under construction and remembers how to read each from a plan."""

    def __init__(self) -> None:
        self._getters: list[tuple[str, Getter]] = []

    def __call__(self, getter: Getter, type_: Any) -> BindParameter[Any]:
        name = f"p{len(self._getters)}"
        self._getters.append((name, getter))
        return bindparam(name, type_=type_)

    def const(self, value: Any, type_: Any) -> BindParameter[Any]:
        """A fixed value, bound like the others (so a statement's parameters all come from values())."""
        return self(lambda plan, tenant: value, type_)

    def values(self, plan: SearchPlan, tenant_id: UUID) -> dict[str, Any]:
        return {name: get(plan, tenant_id) for name, get in self._getters}


LISTS = ("generator_names", "artifact_types", "statuses", "board_ids", "user_ids")
SCALARS = (
    "batch_id", "created_after", "created_before", "seed", "min_width", "max_width", "min_height", "max_height",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ConditionShape:
    scope: str  # input | output
    depth: int  # keys in the path
    op: str
    candidates: int  # values an equality matches (42 and "42")


@dataclass(frozen=True, slots=True)
class Shape:
    """Everything about a plan that changes its SQL text; nothing that is only a value."""

    signed_in: bool
    public_reads: bool
    inside: tuple[bool, ...]  # one per word: also matched anywhere inside the prompt (trigrams)
    lists: tuple[bool, ...]  # LISTS present
    tags: bool
    liked_by_me: bool
    scalars: tuple[bool, ...]  # SCALARS present
    conditions: tuple[ConditionShape, ...]
    sort: SearchSort
    after: bool

    @property
    def terms(self) -> int:
        return len(self.inside)


def equal_candidates(value: Any) -> list[Any]:
    """`=42` matches 42 and "42"; `="7"` matches "7" and 7: people do not know how a provider typed it."""
    found = [value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        found.append(str(value))
    elif isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 19:
        found.append(int(value))
    return found


def shape_of(plan: SearchPlan) -> Shape:
    q = plan.query
    return Shape(
        signed_in=plan.viewer is not None,
        public_reads=plan.public_reads,
        inside=tuple(plan.mode == INSIDE and len(t) >= INFIX_MIN for t in plan.terms),
        lists=tuple(bool(getattr(q, name)) for name in LISTS),
        tags=bool(q.tags),
        liked_by_me=q.liked_by_me,
        scalars=tuple(getattr(q, name) is not None for name in SCALARS),
        conditions=tuple(
            ConditionShape(c.scope, len(c.path), c.op, len(equal_candidates(c.value)))
            for c in plan.conditions
        ),
        sort=plan.sort,
        after=plan.after is not None,
    )
