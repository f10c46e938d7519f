"""The plain fast path reads basic fields' attributes itself: the schema refuses to start when Strawberry would
resolve them otherwise (another default resolver, exception handlers wrapping every field)."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig

from app.graphql.schema import _check_plain_preconditions, schema


@strawberry.type
class _Query:
    name: str = "x"


def _keyed(source: Any, name: str) -> Any:
    return source[name]


def test_the_apps_schema_meets_them() -> None:
    _check_plain_preconditions(schema)


def test_another_default_resolver_is_refused() -> None:
    other = strawberry.Schema(query=_Query, config=StrawberryConfig(default_resolver=_keyed))
    with pytest.raises(RuntimeError, match="default resolver"):
        _check_plain_preconditions(other)
