"""`declareDefaults` inputs (Boards' shapes): the SDL shows each default as Boards declares it, and null in a
field whose SDL default is null means "not sent" (graphql-core fills that default in for an omitted field, so
omitted and null cannot differ there). Runs the golden module data/declared_defaults/expected_gql.py."""

from __future__ import annotations

import importlib
from typing import Any

import msgspec
import strawberry

MOD = importlib.import_module("tests.unit.codegen.data.declared_defaults.expected_gql")


def _schema(seen: list[Any]) -> strawberry.Schema:
    @strawberry.type
    class Query:
        ok: bool = True

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def create(self, data: MOD.CreateNoteInput) -> bool:  # type: ignore[name-defined]
            seen.append(data.to_contract())
            return True

        @strawberry.mutation
        def update(self, data: MOD.UpdateNoteInput) -> bool:  # type: ignore[name-defined]
            seen.append(data.to_contract())
            return True

    return strawberry.Schema(query=Query, mutation=Mutation)


def _run(field: str, data: str) -> Any:
    seen: list[Any] = []
    result = _schema(seen).execute_sync(f"mutation {{ {field}(data: {data}) }}")
    assert result.errors is None, result.errors
    return seen[0]


def test_sdl_declares_literal_defaults_non_null_and_other_defaults_null() -> None:
    sdl = _schema([]).as_str()
    for line in (
        "pinned: Boolean! = false",
        "role: Role! = VIEWER",
        "body: String = null",
        "labels: [String!] = null",
        "title: String = null",
        "pinned: Boolean = null",
    ):
        assert f"  {line}\n" in sdl, line
    update = sdl[sdl.index("input UpdateNoteInput") :]
    assert "  body: String\n" in update  # a patch's nullable field: null clears it, so no default


def test_create_null_and_omitted_take_the_contract_default() -> None:
    omitted = _run("create", '{title: "t"}')
    nulls = _run("create", '{title: "t", body: null, labels: null}')
    for note in (omitted, nulls):
        assert (note.body, note.pinned, note.role.value, note.labels) == (None, False, "viewer", [])


def test_create_null_for_a_literal_default_is_a_validation_error() -> None:
    result = _schema([]).execute_sync('mutation { create(data: {title: "t", pinned: null}) }')
    assert result.errors is not None and "Boolean!" in result.errors[0].message


def test_patch_null_leaves_a_non_nullable_field_unchanged_and_clears_a_nullable_one() -> None:
    patch = _run("update", "{title: null, pinned: null, body: null}")
    assert (patch.title, patch.pinned, patch.body) == (msgspec.UNSET, msgspec.UNSET, None)
    assert msgspec.json.encode(_run("update", "{}")) == b"{}"
    assert msgspec.json.encode(_run("update", '{title: "x"}')) == b'{"title":"x"}'
