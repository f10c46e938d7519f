"""The fast-leaf executor answers exactly as graphql-core's general path does: data, errors and paths."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.extensions import ParserCache

from app.graphql.execution import fast_schema


@strawberry.enum
class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    id: UUID
    name: str
    note: str | None
    count: int
    color: Color
    ratio: float
    labels: list[str]
    parts: list[Item] | None

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name


@dataclass
class RawItem:
    """What a resolver hands back: attributes may hold anything, including wrong types."""

    id: Any
    name: Any
    note: Any
    count: Any
    color: Any
    ratio: Any
    labels: Any = None
    parts: Any = None

    def shout(self, times: int = 1) -> str:  # pragma: no cover - Strawberry calls Item.shout
        return ""


ITEMS: list[RawItem] = []


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return ITEMS  # type: ignore[return-value]

    @strawberry.field
    def maybe(self) -> Item | None:
        return ITEMS[0] if ITEMS else None  # type: ignore[return-value]


general = strawberry.Schema(query=Query)
fast = fast_schema(strawberry.Schema, query=Query)

QUERIES = [
    "{ items { id name note count color ratio } }",
    "{ items { a: name b: name note __typename } maybe { id count } }",
    "{ items { shout(times: 2) later name ...F } } fragment F on Item { color ratio }",
    "{ items { ... on Item { id } count } }",
    "{ items { labels parts { id labels } } maybe { parts { name } } }",
    "query ($skip: Boolean = true) { items { name @skip(if: $skip) note @include(if: true) } }",
    # plain subtrees (app/graphql/plain.py): only attributes, leaves and nested objects, with __typename
    "{ items { __typename id labels parts { __typename name count labels parts { id color } } } }",
    "{ maybe { id parts { ratio note } } items { parts { name } } }",
]

values = st.one_of(st.none(), st.text(max_size=5), st.integers(), st.floats(allow_nan=False), st.booleans())
# For list fields: empty (the fast path), null, items (of any type, so also wrong ones), or not a list at all.
lists = st.one_of(st.just([]), st.none(), st.lists(values, max_size=2), st.just(()), values)
# For `parts` (a list of Items): nested items with any values, null items, or anything `lists` gives.
items = st.builds(
    RawItem,
    id=st.one_of(st.uuids(), st.none(), st.integers()),
    name=values,
    note=values,
    count=values,
    color=st.sampled_from([Color.BLUE, "blue", None]),
    ratio=values,
    labels=lists,
    parts=st.one_of(st.none(), st.just([])),
)
parts = st.one_of(lists, st.lists(st.one_of(items, st.none()), max_size=3))


def _run(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = asyncio.run(schema.execute(query))
    return {
        "data": result.data,
        "errors": sorted((e.message, tuple(e.path or ())) for e in result.errors or []),
    }


@pytest.mark.parametrize("query", QUERIES)
def test_well_typed_values_answer_identically(query: str) -> None:
    ITEMS[:] = [
        RawItem(UUID(int=1), "ada", None, 3, Color.RED, 0.5, [], None),
        RawItem(UUID(int=2), "bob", "hi", -1, Color.BLUE, 2.0, ["x", "y"], []),
        RawItem(
            UUID(int=3),
            "cy",
            "yo",
            0,
            Color.RED,
            1.5,
            ["z"],
            [RawItem(UUID(int=4), "d", None, 1, Color.BLUE, 0.0, [])],
        ),
    ]
    assert _run(fast, query) == _run(general, query)
    assert _run(fast, query)["errors"] == []


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            values, values, values, values, st.sampled_from([Color.RED, "red", None, 7]), values, lists, parts
        ),
        max_size=3,
    ),
    query=st.sampled_from(QUERIES),
)
def test_any_values_give_the_same_data_and_errors(rows: list[tuple[Any, ...]], query: str) -> None:
    """Nulls in non-null fields, unserialisable values and wrong enums fail the same way on both paths."""
    ITEMS[:] = [RawItem(UUID(int=i), *row[1:]) for i, row in enumerate(rows)]
    assert _run(fast, query) == _run(general, query)


# Strawberry's ParserCache hands every execution of the same text the same parsed nodes: what the app runs.
cached = fast_schema(strawberry.Schema, query=Query, extensions=[lambda: ParserCache(maxsize=100)])
FAST = cached.execution_context_class


def _run_document(query: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The same document text through the fast executor (parsed once, cached) and through graphql-core's."""

    def run(schema: strawberry.Schema) -> Any:
        result = asyncio.run(schema.execute(query, variable_values=variables))
        return result.data, sorted(str(e) for e in result.errors or [])

    return run(cached), run(general)


def test_a_reused_document_answers_every_execution_from_its_own_data() -> None:
    """The executor keeps plans per field node of a cached document: later executions must still read their
    own values (and fall back on their own bad ones)."""
    document = "{ items { id name parts { name count } } maybe { id } }"
    for rows in (
        [
            RawItem(
                UUID(int=1),
                "ada",
                None,
                3,
                Color.RED,
                0.5,
                [],
                [RawItem(UUID(int=9), "p", None, 1, Color.RED, 0.0)],
            )
        ],
        [RawItem(UUID(int=2), "bob", None, 4, Color.BLUE, 0.5, [], [])],
        [RawItem(UUID(int=3), None, None, 5, Color.BLUE, 0.5, [], None)],  # null in a non-null field
    ):
        ITEMS[:] = rows
        fast_answer, general_answer = _run_document(document)
        assert fast_answer == general_answer
    assert fast_answer[1]  # the last execution's error is reported


def test_a_reused_document_with_directives_follows_each_executions_variables() -> None:
    ITEMS[:] = [RawItem(UUID(int=1), "ada", "n", 3, Color.RED, 0.5, [], [])]
    document = "query ($s: Boolean!) { items { name @skip(if: $s) note } }"
    answers = [_run_document(document, {"s": s}) for s in (True, False, True)]
    assert [fast for fast, _ in answers] == [general for _, general in answers]
    assert answers[0][0][0] == {"items": [{"note": "n"}]}
    assert answers[1][0][0] == {"items": [{"name": "ada", "note": "n"}]}


def test_plans_are_kept_per_field_node_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.graphql import execution

    monkeypatch.setattr(execution, "MAX_PLANS", 8)
    ITEMS[:] = [RawItem(UUID(int=1), "ada", None, 3, Color.RED, 0.5, [], [])]
    FAST.plans.clear()
    _run_document("{ items { id name } }")
    _run_document("{ items { id name } }")
    assert len(FAST.plans) == 1  # one list field, planned once for both executions
    ((nodes, plan),) = FAST.plans.values()
    assert nodes[0].name.value == "items"
    assert plan is not None
    for i in range(execution.MAX_PLANS + 1):
        _run_document(f"{{ items {{ id a{i}: name }} }}")
    assert len(FAST.plans) <= execution.MAX_PLANS
