"""The search language: whatever text arrives, the parser yields checked values or a 400 (Invalid)."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.contracts import GenerationBatchCreate, GenerationSearchQuery, SearchSort
from app.domain.errors import Invalid
from app.domain.generations.batches import variations
from app.domain.search.query import SearchCursor, fingerprint, parse_condition, terms_of
from app.domain.search.snippets import START, STOP, split_marks

KEY = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)


@given(st.text(max_size=400))
def test_any_text_is_a_checked_condition_or_invalid(expression: str) -> None:
    try:
        condition = parse_condition(expression)
    except Invalid as error:
        assert error.details == {"field": "where"}
        return
    assert condition.scope in ("input", "output")
    assert all(re.fullmatch(r"[A-Za-z0-9_]{1,64}", part) for part in condition.path)
    if condition.op in ("<", "<=", ">", ">="):
        assert isinstance(condition.value, int | float) and not isinstance(condition.value, bool)
    if isinstance(condition.value, str):
        assert not any(ord(c) < 32 for c in condition.value)


@given(
    scope=st.sampled_from(["input", "output"]),
    path=st.lists(KEY, min_size=1, max_size=4),
    op=st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
    number=st.integers(-(10**12), 10**12),
)
def test_numeric_conditions_parse(scope: str, path: list[str], op: str, number: int) -> None:
    condition = parse_condition(f"{scope}.{'.'.join(path)} {op} {number}")
    assert (condition.scope, condition.path, condition.op, condition.value) == (
        scope,
        tuple(path),
        op,
        number,
    )


@pytest.mark.parametrize(
    ("expression", "value"),
    [("input.format=png", "png"), ('input.x="a b"', "a b"), ("input.x=true", True), ("input.x=null", None),
     ("input.x=1.5", 1.5), ("output.loras.0.name~anime", "anime")],
)  # fmt: skip
def test_values(expression: str, value: object) -> None:
    assert parse_condition(expression).value == value


@pytest.mark.parametrize(
    "expression",
    ["input.x'; DROP TABLE generations; --=1", "input.a)=1", "input.prompt>abc", "input.a~1", "nope.a=1",
     "input.=1", "input.a", "input.a=", 'input.a="x', "input.a.b.c.d.e.f.g=1", "input.a=\x01", "input. a=1"],
)  # fmt: skip
def test_refused(expression: str) -> None:
    with pytest.raises(Invalid):
        parse_condition(expression)


@given(st.text(max_size=300))
def test_terms_are_words_only(text: str) -> None:
    terms = terms_of(text)
    assert len(terms) <= 8
    assert all(re.fullmatch(r"[^\W_]{1,64}", t) for t in terms)


@given(st.text(max_size=300))
def test_any_cursor_text_decodes_or_is_invalid(text: str) -> None:
    with contextlib.suppress(Invalid):
        SearchCursor.decode(text)


@given(key=st.none() | st.integers(0, 10**6) | st.floats(0, 1, allow_nan=False, width=32))
def test_cursor_round_trip(key: float | int | None) -> None:
    cursor = SearchCursor(
        SearchSort.RELEVANCE, "abc", key, datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), uuid.uuid4()
    )
    assert SearchCursor.decode(cursor.encode()) == cursor


def test_fingerprint_ignores_the_page_only() -> None:
    query = GenerationSearchQuery(q="fox", limit=5)
    assert fingerprint(query) == fingerprint(GenerationSearchQuery(q="fox", limit=50, cursor="x"))
    assert fingerprint(query) != fingerprint(GenerationSearchQuery(q="fox", seed=1))


def test_snippet_marks_become_ranges() -> None:
    text, ranges = split_marks(f"a {START}red{STOP} fox {START}{STOP}{STOP} x", ("fox",))
    assert text == "a red fox  x"
    assert [(r.start, r.end) for r in ranges] == [(2, 5)]
    assert split_marks("firefox logo", ("fox",))[1][0].start == 4  # nothing marked: the terms are found


def _walked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The marker rule, one character at a time: START opens (again), STOP closes a non-empty range."""
    text, ranges, start = "", [], None
    for char in marked:
        if char == START:
            start = len(text)
        elif char == STOP:
            if start is not None and len(text) > start:
                ranges.append((start, len(text)))
            start = None
        else:
            text += char
    return text, ranges


@given(st.lists(st.sampled_from(["a", "é", " ", "<b>", "\n", START, STOP]), max_size=40).map("".join))
def test_snippet_splitting_follows_the_marker_rule_on_any_text(marked: str) -> None:
    text, ranges = split_marks(marked)
    expected_text, expected_ranges = _walked(marked)
    assert text == expected_text
    if expected_ranges:
        assert [(r.start, r.end) for r in ranges] == expected_ranges


def _batch(**fields: object) -> GenerationBatchCreate:
    return GenerationBatchCreate(board_id=uuid.uuid4(), generator_name="local-image", **fields)  # type: ignore[arg-type]


def test_variations() -> None:
    assert variations(_batch(input_params={"prompt": "p", "seed": 5}, count=3)) == [
        {"prompt": "p", "seed": 5}, {"prompt": "p", "seed": 6}, {"prompt": "p", "seed": 7},
    ]  # fmt: skip
    assert variations(_batch(input_params={"prompt": "p"}, count=2)) == [{"prompt": "p"}] * 2
    assert [v["seed"] for v in variations(_batch(seeds=[9, 1]))] == [9, 1]
    swept = variations(_batch(input_params={"prompt": "p"}, sweep={"shapes": [1, 2], "seed": [3, 4]}))
    assert {(v["shapes"], v["seed"]) for v in swept} == {(1, 3), (1, 4), (2, 3), (2, 4)}
    for bad in ({}, {"count": 2, "seeds": [1]}, {"sweep": {"a": list(range(5)), "b": list(range(4))}},
                {"sweep": {"a": []}}, {"sweep": {"a": 3}}, {"seeds": [1, 1]}):  # fmt: skip
        with pytest.raises(Invalid):
            variations(_batch(**bad))
