"""REST: /api/v1/generations (reads, deletion, tags) — creation arrives with the generator runtime."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from msgspec import Struct

from app.contracts import (
    ArtifactType,
    Generation,
    GenerationCreate,
    GenerationFeed,
    GenerationList,
    GenerationStatus,
    LikeStatus,
    Lineage,
    Tag,
)
from app.domain.likes import CURSOR_PATTERN
from app.domain.paging import MAX_OFFSET
from app.wiring import Services


class TagRef(Struct, rename="camel", forbid_unknown_fields=True):
    """Which tag to attach."""

    tag_id: UUID


class GenerationController(Controller):
    path = "/api/v1/generations"
    tags = ["Generations"]

    @get(operation_id="ListRecentGenerations", summary="Newest generations you may read")
    async def list_recent_generations(
        self,
        services: NamedDependency[Services],
        board_id: Annotated[UUID | None, QueryParameter(name="boardId")] = None,
        status: Annotated[GenerationStatus | None, QueryParameter(name="status")] = None,
        artifact_type: Annotated[ArtifactType | None, QueryParameter(name="artifactType")] = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
    ) -> GenerationList:
        return await services.generations.recent(
            board_id=board_id, status=status, artifact_type=artifact_type, limit=limit, offset=offset
        )

    @post(operation_id="CreateGeneration", summary="Run a generator on a board (queued after commit)")
    async def create_generation(
        self, services: NamedDependency[Services], data: JSONBody[GenerationCreate]
    ) -> Generation:
        return await services.runner.create(data)

    @post("/{generation_id:uuid}/cancel", operation_id="CancelGeneration", summary="Cancel", status_code=200)
    async def cancel_generation(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID]
    ) -> Generation:
        return await services.runner.cancel(generation_id)

    @post(
        "/{generation_id:uuid}/regenerate",
        operation_id="Regenerate",
        summary="Run again with the same inputs",
    )
    async def regenerate(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID]
    ) -> Generation:
        return await services.runner.regenerate(generation_id)

    @get("/feed", operation_id="GetFeed", summary="Completed generations of public boards, newest first")
    async def get_feed(
        self,
        services: NamedDependency[Services],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(name="cursor", pattern=CURSOR_PATTERN)] = None,
    ) -> GenerationFeed:
        return await services.likes.feed(cursor=cursor, limit=limit)

    @get("/{generation_id:uuid}/likes", operation_id="GetLikeStatus", summary="Likes of a generation")
    async def get_likes(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID]
    ) -> LikeStatus:
        return await services.likes.status(generation_id)

    @post(
        "/{generation_id:uuid}/likes",
        operation_id="LikeGeneration",
        summary="Like a generation",
        status_code=200,
    )
    async def like(self, services: NamedDependency[Services], generation_id: FromPath[UUID]) -> LikeStatus:
        return await services.likes.like(generation_id)

    @delete(
        "/{generation_id:uuid}/likes",
        operation_id="UnlikeGeneration",
        summary="Take your like back",
        status_code=200,
    )
    async def unlike(self, services: NamedDependency[Services], generation_id: FromPath[UUID]) -> LikeStatus:
        return await services.likes.unlike(generation_id)

    @get(
        "/{generation_id:uuid}/lineage",
        operation_id="GetGenerationLineage",
        summary="Ancestry or descendants",
    )
    async def get_lineage(
        self,
        services: NamedDependency[Services],
        generation_id: FromPath[UUID],
        direction: Annotated[
            str, QueryParameter(name="direction", pattern="^(ancestry|descendants)$")
        ] = "ancestry",
        max_depth: Annotated[int, QueryParameter(name="maxDepth", ge=1, le=100)] = 25,
    ) -> Lineage:
        return await services.generations.lineage(
            generation_id, ancestors=direction == "ancestry", max_depth=max_depth
        )

    @get("/{generation_id:uuid}", operation_id="GetGeneration", summary="One generation")
    async def get_generation(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID]
    ) -> Generation:
        return await services.generations.get(generation_id)

    @delete(
        "/{generation_id:uuid}",
        operation_id="DeleteGeneration",
        summary="Delete a generation",
        status_code=204,
    )
    async def delete_generation(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID]
    ) -> Response[None]:
        await services.generations.delete(generation_id)
        return Response(None, status_code=204)

    @get("/{generation_id:uuid}/tags", operation_id="ListGenerationTags", summary="Tags on a generation")
    async def list_tags(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID]
    ) -> list[Tag]:
        return await services.tags.of_generation(generation_id)

    @post("/{generation_id:uuid}/tags", operation_id="AddTagToGeneration", summary="Tag a generation")
    async def add_tag(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID], data: JSONBody[TagRef]
    ) -> Tag:
        return await services.tags.tag_generation(generation_id, data.tag_id)

    @delete(
        "/{generation_id:uuid}/tags/{tag_id:uuid}",
        operation_id="RemoveTagFromGeneration",
        summary="Untag a generation",
        status_code=204,
    )
    async def remove_tag(
        self, services: NamedDependency[Services], generation_id: FromPath[UUID], tag_id: FromPath[UUID]
    ) -> Response[None]:
        await services.tags.untag_generation(generation_id, tag_id)
        return Response(None, status_code=204)
