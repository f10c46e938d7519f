"""The fast path on the app's real GraphQL types (Generation with JSON, DateTime, UUID, both enums, nullable
fields and a nested list of objects; its relation fields are resolvers, so mixed selections are covered too):
for any values, well typed or not, it answers exactly what Strawberry's stock executor answers."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace
from typing import Any

import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig

from app.graphql._generated.types import ArtifactType, GenerationStatus
from app.graphql.execution import fast_schema
from app.graphql.schema import CachedNameConverter
from app.graphql.types import Generation

SOURCES: list[Any] = []


@strawberry.type
class Root:
    @strawberry.field
    def generations(self) -> list[Generation]:
        return SOURCES

    @strawberry.field
    def first(self) -> Generation | None:
        return SOURCES[0] if SOURCES else None


def _schema(fast: bool) -> strawberry.Schema:
    options: dict[str, Any] = {
        "query": Root,
        "config": StrawberryConfig(name_converter=CachedNameConverter()),
        "extensions": [lambda: ParserCache(maxsize=64)],
    }
    return fast_schema(strawberry.Schema, **options) if fast else strawberry.Schema(**options)


FAST, STOCK = _schema(True), _schema(False)
SCALARS = (
    "id tenantId boardId userId generatorName artifactType storageUrl thumbnailUrl inputParams "
    "outputMetadata externalJobId status progress phase message errorMessage errorCode startedAt completedAt "
    "createdAt updatedAt batchId batchIndex"
)
QUERIES = [
    f"{{ generations {{ {SCALARS} additionalFiles {{ url type metadata }} }} }}",  # GetBoard's page shape
    "{ generations { __typename a: id b: status additionalFiles { __typename url } } first { id } }",
    "query Q { first { ...G additionalFiles { metadata } } } fragment G on Generation { id createdAt status }",
    "{ generations { id ... on Generation { inputParams progress } } }",
    "query ($s: Boolean!) { generations { id status @skip(if: $s) } }",
    "{ generations { id additionalFiles { url } additionalFiles { type } } }",  # merged sub-selections
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=5,
)
wrong = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just(object()))
uuids = st.uuids() | wrong
times = st.datetimes(timezones=st.just(dt.UTC)) | st.datetimes() | wrong
texts = st.text(max_size=5) | wrong
enums_status = st.sampled_from(list(GenerationStatus)) | st.sampled_from(["pending", "PENDING"]) | wrong
enums_type = st.sampled_from(list(ArtifactType)) | wrong
files = (
    st.lists(st.builds(SimpleNamespace, url=texts, type=texts, metadata=json_values) | st.none(), max_size=2)
    | st.none()
    | st.just(())
)
generations = st.builds(
    SimpleNamespace,
    id=uuids, tenant_id=uuids, board_id=uuids, user_id=uuids, generator_name=texts,
    artifact_type=enums_type, storage_url=texts, thumbnail_url=texts, additional_files=files,
    input_params=json_values, output_metadata=json_values, external_job_id=texts, status=enums_status,
    progress=st.floats(allow_nan=False) | wrong, phase=texts, message=texts, error_message=texts,
    error_code=texts, started_at=times, completed_at=times, created_at=times, updated_at=times,
    batch_id=uuids, batch_index=st.integers(min_value=-(2**31), max_value=2**31 - 1) | wrong,
)  # fmt: skip


def _answer(schema: strawberry.Schema, query: str, variables: dict[str, Any]) -> tuple[Any, Any]:
    result = asyncio.run(schema.execute(query, variable_values=variables))
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
    return result.data, errors


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(generations | st.none(), max_size=3), query=st.sampled_from(QUERIES), skip=st.booleans())
def test_the_fast_path_answers_like_the_stock_executor(rows: list[Any], query: str, skip: bool) -> None:
    SOURCES[:] = rows
    variables = {"s": skip} if "$s" in query else {}
    assert _answer(FAST, query, variables) == _answer(STOCK, query, variables)


def test_well_typed_generations_take_the_fast_path() -> None:
    """The equivalence above must not hold only because every value fell back to graphql-core."""
    executor = FAST.execution_context_class
    executor.plans.clear()
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    from uuid import UUID

    row = SimpleNamespace(
        id=UUID(int=1), tenant_id=UUID(int=2), board_id=UUID(int=3), user_id=UUID(int=4),
        generator_name="local-image", artifact_type=ArtifactType.IMAGE, storage_url=None,
        thumbnail_url="t", additional_files=[SimpleNamespace(url="u", type="image/png", metadata={"w": 1})],
        input_params={"prompt": "a"}, output_metadata={}, external_job_id=None,
        status=GenerationStatus.COMPLETED, progress=1.0, phase=None, message=None, error_message=None,
        error_code=None, started_at=now, completed_at=now, created_at=now, updated_at=now, batch_id=None,
        batch_index=None,
    )  # fmt: skip
    SOURCES[:] = [row, row]
    data, errors = _answer(FAST, QUERIES[0], {})
    assert errors == []
    assert data["generations"][0]["status"] == "COMPLETED"
    assert data["generations"][0]["createdAt"] == "2026-01-01T00:00:00+00:00"
    assert data["generations"][0]["additionalFiles"] == [
        {"url": "u", "type": "image/png", "metadata": {"w": 1}}
    ]
    assert [plan is not None for _, plan in executor.plans.values()] == [True]
    assert (data, errors) == _answer(STOCK, QUERIES[0], {})
