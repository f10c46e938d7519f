"""Search, saved views and batches through REST and through GraphQL, returning the same camelCase shapes."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.contract.drivers import ApiError, GraphQLDriver, RestDriver

GENERATION = "id boardId userId generatorName artifactType status inputParams outputMetadata createdAt batchId batchIndex"
HIT = f"generation {{ {GENERATION} }} rank snippet highlights {{ start end }}"
FACETS = (
    "total complete skipped generators { value label count } artifactTypes { value label count }"
    " tags { value label count } days { value label count } weeks { value label count }"
)
VIEW = "id tenantId userId boardId name query createdAt updatedAt"
BATCH = f"batchId items {{ {GENERATION} }}"
ENUMS = {"artifactTypes", "statuses", "sort"}


def _rest_params(query: dict[str, Any]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for key, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            params.append((key, json.dumps(item) if isinstance(item, bool) else str(item)))
    return params


class SearchRest:
    name = "rest"

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
        self.http, self.headers = http, headers or {}

    def as_(self, headers: dict[str, str]) -> SearchRest:
        return SearchRest(self.http, headers)

    async def search(self, **query: Any) -> dict[str, Any]:
        response = await self.http.get(
            "/api/v1/generations/search", params=_rest_params(query), headers=self.headers
        )
        return RestDriver._ok(response)  # type: ignore[no-any-return]

    async def facets(self, **query: Any) -> dict[str, Any]:
        response = await self.http.post("/api/v1/generations/facets", json=query, headers=self.headers)
        return RestDriver._ok(response)  # type: ignore[no-any-return]

    async def create_view(self, **fields: Any) -> dict[str, Any]:
        response = await self.http.post("/api/v1/saved-views", json=fields, headers=self.headers)
        return RestDriver._ok(response)  # type: ignore[no-any-return]

    async def views(self, board_id: str | None = None) -> list[dict[str, Any]]:
        params = {"boardId": board_id} if board_id else {}
        response = await self.http.get("/api/v1/saved-views", params=params, headers=self.headers)
        return RestDriver._ok(response)  # type: ignore[no-any-return]

    async def delete_view(self, view_id: str) -> None:
        RestDriver._ok(await self.http.delete(f"/api/v1/saved-views/{view_id}", headers=self.headers))

    async def create_batch(self, **fields: Any) -> dict[str, Any]:
        response = await self.http.post("/api/v1/generation-batches", json=fields, headers=self.headers)
        return RestDriver._ok(response)  # type: ignore[no-any-return]

    async def batch(self, batch_id: str, action: str | None = None) -> dict[str, Any]:
        path = f"/api/v1/generation-batches/{batch_id}"
        if action is None:
            return RestDriver._ok(await self.http.get(path, headers=self.headers))  # type: ignore[no-any-return]
        return RestDriver._ok(await self.http.post(f"{path}/{action}", headers=self.headers))  # type: ignore[no-any-return]


class SearchGraphQL:
    name = "graphql"

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
        self.http, self.headers = http, headers or {}
        self._gql = GraphQLDriver(http, self.headers)

    def as_(self, headers: dict[str, str]) -> SearchGraphQL:
        return SearchGraphQL(self.http, headers)

    @staticmethod
    def _input(query: dict[str, Any]) -> dict[str, Any]:
        def enum(value: Any) -> Any:
            return [v.upper() for v in value] if isinstance(value, list) else str(value).upper()

        return {k: enum(v) if k in ENUMS else v for k, v in query.items()}

    async def search(self, **query: Any) -> dict[str, Any]:
        document = f"query($i: GenerationSearchInput!) {{ searchGenerations(input: $i) {{ items {{ {HIT} }} nextCursor }} }}"
        found = (await self._gql.execute(document, i=self._input(query)))["searchGenerations"]
        for hit in found["items"]:
            generation = hit["generation"]
            generation["artifactType"] = generation["artifactType"].lower()
            generation["status"] = generation["status"].lower()
        return found  # type: ignore[no-any-return]

    async def facets(self, **query: Any) -> dict[str, Any]:
        document = f"query($i: GenerationSearchInput!) {{ generationFacets(input: $i) {{ {FACETS} }} }}"
        return (await self._gql.execute(document, i=self._input(query)))["generationFacets"]  # type: ignore[no-any-return]

    async def create_view(self, **fields: Any) -> dict[str, Any]:
        document = f"mutation($i: CreateSavedViewInput!) {{ createSavedView(input: $i) {{ {VIEW} }} }}"
        return (await self._gql.execute(document, i=fields))["createSavedView"]  # type: ignore[no-any-return]

    async def views(self, board_id: str | None = None) -> list[dict[str, Any]]:
        document = f"query($b: UUID) {{ savedViews(boardId: $b) {{ {VIEW} }} }}"
        return (await self._gql.execute(document, b=board_id))["savedViews"]  # type: ignore[no-any-return]

    async def delete_view(self, view_id: str) -> None:
        await self._gql.execute("mutation($id: UUID!) { deleteSavedView(id: $id) }", id=view_id)

    async def create_batch(self, **fields: Any) -> dict[str, Any]:
        document = (
            f"mutation($i: CreateGenerationBatchInput!) {{ createGenerationBatch(input: $i) {{ {BATCH} }} }}"
        )
        return self._lower((await self._gql.execute(document, i=fields))["createGenerationBatch"])

    async def batch(self, batch_id: str, action: str | None = None) -> dict[str, Any]:
        field = {
            None: "generationBatch",
            "cancel": "cancelGenerationBatch",
            "regenerate": "regenerateGenerationBatch",
        }[action]
        kind = "query" if action is None else "mutation"
        document = f"{kind}($b: UUID!) {{ {field}(batchId: $b) {{ {BATCH} }} }}"
        return self._lower((await self._gql.execute(document, b=batch_id))[field])

    @staticmethod
    def _lower(batch: dict[str, Any]) -> dict[str, Any]:
        for generation in batch["items"]:
            generation["artifactType"] = generation["artifactType"].lower()
            generation["status"] = generation["status"].lower()
        return batch


async def seed_rows(
    engine: AsyncEngine, board_id: str, user_id: str, rows: list[dict[str, Any]]
) -> list[str]:
    """Generations with the given columns (input_params, output_metadata, generator_name, ...), in order,
    each a millisecond newer than the previous."""
    ids: list[str] = []
    async with engine.begin() as conn:
        tenant = (
            await conn.execute(text("SELECT tenant_id FROM boards WHERE id = :b"), {"b": board_id})
        ).scalar_one()
        for offset, row in enumerate(rows):
            values = {
                "t": tenant, "b": board_id, "u": user_id, "g": row.get("generator_name", "local-image"),
                "a": row.get("artifact_type", "image"), "s": row.get("status", "completed"),
                "i": json.dumps(row.get("input_params", {})), "o": json.dumps(row.get("output_metadata", {})),
                "age": row.get("age_seconds", 0) + (len(rows) - offset) / 1000,
            }  # fmt: skip
            inserted = await conn.execute(
                text(
                    "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                    " progress, completed_at, input_params, output_metadata, created_at) VALUES (:t, :b, :u, :g,"
                    " CAST(:a AS artifact_type), CAST(:s AS generation_status),"
                    " CASE WHEN :s = 'completed' THEN 1 ELSE 0 END, CASE WHEN :s IN ('completed', 'failed',"
                    " 'cancelled') THEN now() END, CAST(:i AS jsonb), CAST(:o AS jsonb),"
                    " now() - make_interval(secs => :age)) RETURNING id"
                ),
                values,
            )
            ids.append(str(inserted.scalar_one()))
    return ids


def ids_of(page: dict[str, Any]) -> list[str]:
    return [hit["generation"]["id"] for hit in page["items"]]


__all__ = ["UUID", "ApiError", "SearchGraphQL", "SearchRest", "ids_of", "seed_rows"]
