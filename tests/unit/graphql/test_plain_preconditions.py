"""The plain fast path reads basic fields' attributes itself. It is on only when that is what Strawberry and
graphql-core would do: the library versions it was tested with, getattr as default resolver, no exception
handlers; and never for a type graphql-core checks (is_type_of, interfaces). Otherwise the stock executor
runs everything."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig

from app.graphql import execution
from app.graphql.execution import fast_schema, plain_fields_of
from app.graphql.schema import schema


@strawberry.type
class _Query:
    name: str = "x"


@strawberry.interface
class _Node:
    id: str


@strawberry.type
class _Thing(_Node):
    label: str


@strawberry.type
class _NodeQuery:
    @strawberry.field
    def thing(self) -> _Thing:
        return _Thing(id="1", label="a")


def _keyed(source: Any, name: str) -> Any:
    return source[name]


def test_the_apps_schema_meets_them() -> None:
    fields = plain_fields_of(schema)
    assert fields[("Generation", "inputParams")] == "input_params"
    assert fields[("Generation", "status")] == "status"
    assert ("Generation", "board") not in fields  # a resolver
    assert ("Board", "generations") not in fields


def test_another_default_resolver_turns_it_off() -> None:
    other = strawberry.Schema(query=_Query, config=StrawberryConfig(default_resolver=_keyed))
    assert plain_fields_of(other) == {}


def test_untested_library_versions_turn_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(execution.TESTED_WITH, "graphql-core", "0.0.1")
    assert plain_fields_of(strawberry.Schema(query=_Query)) == {}


def test_types_with_interfaces_are_never_shortcut() -> None:
    built = fast_schema(strawberry.Schema, query=_NodeQuery, types=[_Thing])
    assert ("_Thing", "label") not in plain_fields_of(built)
    assert not any(type_name == "_Thing" for type_name, _ in plain_fields_of(built))
    assert built.execute_sync("{ thing { id label } }").data == {"thing": {"id": "1", "label": "a"}}
