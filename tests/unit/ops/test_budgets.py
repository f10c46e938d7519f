"""Which rate-limit budget a request spends (app.auth.budgets): REST by method and path, GraphQL by the
operation the body selects. Anything malformed reads; a mutation that could start a generation creates."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from app.auth.budgets import graphql_budget, rest_budget


def body(query: str, name: str | None = None) -> bytes:
    return json.dumps({"query": query, "operationName": name}).encode()


def test_rest_reads_writes_and_creations() -> None:
    assert rest_budget("GET", "/api/v1/generations/abc") == "read"
    assert rest_budget("HEAD", "/api/v1/boards") == "read"
    assert rest_budget("POST", "/api/v1/generations") == "create"
    assert rest_budget("POST", "/api/v1/generations/abc/regenerate") == "create"
    assert rest_budget("POST", "/api/v1/generations/abc/cancel") == "write"
    assert rest_budget("DELETE", "/api/v1/generations/abc") == "write"
    assert rest_budget("POST", "/api/v1/boards") == "write"


def test_graphql_operations_by_type_and_field() -> None:
    assert graphql_budget(body("{ me { id } }")) == "read"
    assert graphql_budget(body("subscription S { progress(id: 1) { id } }")) == "read"
    assert graphql_budget(body('mutation { createBoard(input: {title: "x"}) { id } }')) == "write"
    assert graphql_budget(body("mutation { made: createGeneration(input: {}) { id } }")) == "create"
    assert graphql_budget(body("mutation { regenerate(id: 1) { id } }")) == "create"
    two = "query Q { me { id } } mutation M { createGeneration(input: {}) { id } }"
    assert graphql_budget(body(two, "Q")) == "read"
    assert graphql_budget(body(two, "M")) == "create"
    assert graphql_budget(body(two)) == "read"  # ambiguous: refused by the pipeline, spends a read
    hidden = "mutation { ...F } fragment F on Mutation { createGeneration(input: {}) { id } }"
    assert graphql_budget(body(hidden)) == "create"  # a fragment could hide a creation


@given(st.binary(max_size=300))
def test_any_bytes_get_a_budget_without_raising(raw: bytes) -> None:
    assert graphql_budget(raw) in {"read", "write", "create"}


@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=20)))
def test_any_document_gets_a_budget_without_raising(query: str, name: str | None) -> None:
    assert graphql_budget(body(query, name)) in {"read", "write", "create"}


@given(st.lists(st.sampled_from(["me { id }", "boards { id }", "createGeneration(input: {}) { id }",
                                 "createBoard(input: {}) { id }"]), min_size=1, max_size=4))  # fmt: skip
def test_a_mutation_creates_exactly_when_it_selects_a_creating_field(fields: list[str]) -> None:
    document = "mutation { " + " ".join(f"f{i}: {field}" for i, field in enumerate(fields)) + " }"
    expected = "create" if any(f.startswith("createGeneration") for f in fields) else "write"
    assert graphql_budget(body(document)) == expected
