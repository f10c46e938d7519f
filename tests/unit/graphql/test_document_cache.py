"""The one document cache (app.graphql.extensions.CachedDocuments): each text is parsed and validated once,
bad ones answer the same every time, and the cache is bounded."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from strawberry.schema import schema as strawberry_schema

from app.graphql.extensions import DocumentCache
from app.graphql.schema import build_schema


def _schema() -> Any:
    return build_schema()


def _answer(schema: Any, query: str, name: str | None = None) -> Any:
    result = asyncio.run(schema.execute(query, operation_name=name))
    return result.data, [e.formatted for e in result.errors or []]


def test_a_text_is_parsed_and_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    schema = _schema()
    validations: list[object] = []
    validate = strawberry_schema.validate_document

    def counted(*args: Any) -> Any:
        validations.append(args[1])
        return validate(*args)

    monkeypatch.setattr(strawberry_schema, "validate_document", counted)  # a spy: Strawberry's validation
    answers = [_answer(schema, "{ __typename }") for _ in range(3)]
    assert answers == [({"__typename": "Query"}, [])] * 3
    assert len(validations) == 1
    ((query, entry),) = schema.documents.entries.items()
    assert (query, entry.errors) == ("{ __typename }", [])


def test_invalid_documents_answer_alike_from_the_cache() -> None:
    schema = _schema()
    first, again = _answer(schema, "{ nope }"), _answer(schema, "{ nope }")
    assert first == again
    assert first[1][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    syntax = [_answer(schema, "{ nope") for _ in range(2)]
    assert syntax[0] == syntax[1]
    assert syntax[0][1][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "{ nope" not in schema.documents.entries  # a text that does not parse is never held


def test_the_cache_is_bounded() -> None:
    cache = DocumentCache(maxsize=2, max_tokens=100)
    for i in range(5):
        assert cache.operation_count(f"query Q{i} {{ __typename }}") == 1
    assert list(cache.entries) == ["query Q3 { __typename }", "query Q4 { __typename }"]
    assert cache.operation_count("query A { a } query B { b }") == 2
    assert cache.operation_count("{ unparsable") == 0
