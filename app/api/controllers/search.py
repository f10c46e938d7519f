"""REST: generation search and facets, saved views, batches of variations."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.deps import READS_ONLY
from app.contracts import (
    GenerationBatch,
    GenerationBatchCreate,
    GenerationFacets,
    GenerationSearchQuery,
    GenerationSearchResult,
    SavedView,
    SavedViewCreate,
)
from app.wiring import Services


def _query(params: dict[str, Any]) -> GenerationSearchQuery:
    """The query string decoded into the contract the facets body is decoded into: the same checks (a seed's
    bounds, a limit's) and the same 400 for what it refuses; unsent filters left out. Times arrive as text so
    only RFC 3339 passes, as the contract says (a query-string datetime would also take a number of seconds)."""
    return msgspec.convert({k: v for k, v in params.items() if v is not None}, GenerationSearchQuery)


class SearchController(Controller):
    path = "/api/v1/generations"
    tags = ["Search"]
    opt = {READS_ONLY: True}  # a page is one statement, in autocommit (app.api.deps)

    @get("/search", operation_id="SearchGenerations", summary="Find generations you may read")
    async def search_generations(
        self,
        services: NamedDependency[Services],
        q: Annotated[str | None, QueryParameter(name="q")] = None,
        generator_names: Annotated[list[str] | None, QueryParameter(name="generatorNames")] = None,
        artifact_types: Annotated[list[str] | None, QueryParameter(name="artifactTypes")] = None,
        statuses: Annotated[list[str] | None, QueryParameter(name="statuses")] = None,
        board_ids: Annotated[list[UUID] | None, QueryParameter(name="boardIds")] = None,
        user_ids: Annotated[list[UUID] | None, QueryParameter(name="userIds")] = None,
        tags: Annotated[list[str] | None, QueryParameter(name="tags")] = None,
        liked_by_me: Annotated[bool | None, QueryParameter(name="likedByMe")] = None,
        batch_id: Annotated[UUID | None, QueryParameter(name="batchId")] = None,
        created_after: Annotated[str | None, QueryParameter(name="createdAfter")] = None,
        created_before: Annotated[str | None, QueryParameter(name="createdBefore")] = None,
        seed: Annotated[int | None, QueryParameter(name="seed")] = None,
        min_width: Annotated[int | None, QueryParameter(name="minWidth")] = None,
        max_width: Annotated[int | None, QueryParameter(name="maxWidth")] = None,
        min_height: Annotated[int | None, QueryParameter(name="minHeight")] = None,
        max_height: Annotated[int | None, QueryParameter(name="maxHeight")] = None,
        where: Annotated[list[str] | None, QueryParameter(name="where")] = None,
        sort: Annotated[str | None, QueryParameter(name="sort")] = None,
        limit: Annotated[int | None, QueryParameter(name="limit")] = None,
        cursor: Annotated[str | None, QueryParameter(name="cursor")] = None,
    ) -> GenerationSearchResult:
        """Words (`q`), filters and metadata conditions (`where=input.steps>=30`), sorted by relevance, newest,
        oldest or most liked; pass `nextCursor` back as `cursor` for the next page."""
        params = {
            "q": q, "generatorNames": generator_names, "artifactTypes": artifact_types, "statuses": statuses,
            "boardIds": board_ids, "userIds": user_ids, "tags": tags, "likedByMe": liked_by_me,
            "batchId": batch_id, "createdAfter": created_after, "createdBefore": created_before, "seed": seed,
            "minWidth": min_width, "maxWidth": max_width, "minHeight": min_height, "maxHeight": max_height,
            "where": where, "sort": sort, "limit": limit, "cursor": cursor,
        }  # fmt: skip
        return await services.search.search(_query(params))

    @post(
        "/facets",
        operation_id="GetGenerationFacets",
        summary="Counts per value for a search",
        status_code=200,
    )
    async def get_generation_facets(
        self, services: NamedDependency[Services], data: JSONBody[GenerationSearchQuery]
    ) -> GenerationFacets:
        """The search's matches counted per generator, artifact type, tag, day and week (the body is the same
        query as the search's), within a time budget: `complete` says whether every count is exact."""
        return await services.search.facets(data)


class SavedViewController(Controller):
    path = "/api/v1/saved-views"
    tags = ["Search"]

    @get(operation_id="ListSavedViews", summary="Your saved searches and those shared on boards you read")
    async def list_saved_views(
        self,
        services: NamedDependency[Services],
        board_id: Annotated[UUID | None, QueryParameter(name="boardId")] = None,
    ) -> list[SavedView]:
        return await services.saved_views.visible(board_id)

    @post(operation_id="CreateSavedView", summary="Save a search under a name")
    async def create_saved_view(
        self, services: NamedDependency[Services], data: JSONBody[SavedViewCreate]
    ) -> SavedView:
        return await services.saved_views.create(data)

    @delete(
        "/{view_id:uuid}", operation_id="DeleteSavedView", summary="Delete a saved search", status_code=204
    )
    async def delete_saved_view(
        self, services: NamedDependency[Services], view_id: FromPath[UUID]
    ) -> Response[None]:
        await services.saved_views.delete(view_id)
        return Response(None, status_code=204)


class BatchController(Controller):
    path = "/api/v1/generation-batches"
    tags = ["Generations"]

    @post(operation_id="CreateGenerationBatch", summary="Run N variations in one request")
    async def create_generation_batch(
        self, services: NamedDependency[Services], data: JSONBody[GenerationBatchCreate]
    ) -> GenerationBatch:
        return await services.batches.create(data)

    @get("/{batch_id:uuid}", operation_id="GetGenerationBatch", summary="A batch's generations in order")
    async def get_generation_batch(
        self, services: NamedDependency[Services], batch_id: FromPath[UUID]
    ) -> GenerationBatch:
        return await services.batches.get(batch_id)

    @post(
        "/{batch_id:uuid}/cancel",
        operation_id="CancelGenerationBatch",
        summary="Cancel a batch",
        status_code=200,
    )
    async def cancel_generation_batch(
        self, services: NamedDependency[Services], batch_id: FromPath[UUID]
    ) -> GenerationBatch:
        return await services.batches.cancel(batch_id)

    @post(
        "/{batch_id:uuid}/regenerate", operation_id="RegenerateGenerationBatch", summary="Run a batch again"
    )
    async def regenerate_generation_batch(
        self, services: NamedDependency[Services], batch_id: FromPath[UUID]
    ) -> GenerationBatch:
        return await services.batches.regenerate(batch_id)
