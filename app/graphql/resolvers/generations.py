"""Generation queries and mutations (Boards names)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app import contracts
from app.domain.errors import NotFound
from app.graphql._generated.types import (
    ArtifactType,
    CostEstimateFields,
    CreateGenerationInput,
    GenerationStatus,
    GeneratorGroupFields,
    GeneratorInfoFields,
    LikeStatusFields,
)
from app.graphql.context import Info
from app.graphql.paging import page_limit
from app.graphql.types import Generation, GenerationFeed


async def _recent(
    info: Info,
    board_id: UUID | None,
    status: GenerationStatus | None,
    artifact_type: ArtifactType | None,
    limit: int | None,
    offset: int | None,
) -> list[Generation]:
    page = await info.context.services.generations.recent(
        board_id=board_id,
        status=None if status is None else contracts.GenerationStatus(status.value),
        artifact_type=None if artifact_type is None else contracts.ArtifactType(artifact_type.value),
        limit=page_limit(limit),
        offset=offset or 0,
        counted=False,  # the GraphQL list has no total
    )
    return [Generation.from_contract(g) for g in page.items]


@strawberry.type
class GenerationQueries:
    @strawberry.field(description="One generation you may read, or null.")
    async def generation(self, info: Info, id: UUID) -> Generation | None:
        try:
            generation, board, author = await info.context.services.generations.get_in_context(id)
        except NotFound:
            return None
        loaders = info.context.loaders  # `board { … }` and `user { … }` need no second read
        loaders.board_by_id.prime(board.id, board)
        if author is not None:
            loaders.user_by_id.prime(author.id, author)
        return Generation.from_contract(generation)

    @strawberry.field(description="Newest generations you may read, of one board or of all.")
    async def recent_generations(
        self,
        info: Info,
        board_id: UUID | None = None,
        status: GenerationStatus | None = None,
        artifact_type: ArtifactType | None = None,
        limit: int | None = 50,
        offset: int | None = 0,
    ) -> list[Generation]:
        return await _recent(info, board_id, status, artifact_type, limit, offset)

    @strawberry.field(description="recentGenerations under the name older Boards clients query.")
    async def generations(
        self,
        info: Info,
        board_id: UUID | None = None,
        status: GenerationStatus | None = None,
        artifact_type: ArtifactType | None = None,
        limit: int | None = 50,
        offset: int | None = 0,
    ) -> list[Generation]:
        return await _recent(info, board_id, status, artifact_type, limit, offset)

    @strawberry.field(description="Completed generations of public boards, newest first (cursor pagination).")
    async def feed(self, info: Info, first: int = 20, after: str | None = None) -> GenerationFeed:
        return GenerationFeed.from_contract(await info.context.services.likes.feed(cursor=after, limit=first))


@strawberry.type
class GenerationMutations:
    @strawberry.mutation(description="Like a generation you may read.")
    async def like_generation(self, info: Info, id: UUID) -> LikeStatusFields:
        return LikeStatusFields.from_contract(await info.context.services.likes.like(id))

    @strawberry.mutation(description="Take your like back.")
    async def unlike_generation(self, info: Info, id: UUID) -> LikeStatusFields:
        return LikeStatusFields.from_contract(await info.context.services.likes.unlike(id))

    @strawberry.mutation(description="Delete a generation (its author with editor access, or board admins).")
    async def delete_generation(self, info: Info, id: UUID) -> bool:
        return await info.context.services.generations.delete(id)


@strawberry.type
class RunQueries:
    @strawberry.field(
        description='Enabled generators; artifactType is a lowercase name such as "image" (any case).'
    )
    def generators(self, info: Info, artifact_type: str | None = None) -> list[GeneratorInfoFields]:
        return [
            GeneratorInfoFields.from_contract(g)
            for g in info.context.services.runner.generators(artifact_type)
        ]

    @strawberry.field(
        description="Enabled generators grouped by artifact type, then provider (a picker's list)."
    )
    def generator_groups(self, info: Info, artifact_type: str | None = None) -> list[GeneratorGroupFields]:
        return [
            GeneratorGroupFields.from_contract(g)
            for g in info.context.services.runner.generator_groups(artifact_type)
        ]

    @strawberry.field(description="What running a generator with these inputs would cost, before running it.")
    def estimate_generation_cost(
        self, info: Info, generator_name: str, input_params: JSON
    ) -> CostEstimateFields:
        params: dict[str, Any] = input_params if isinstance(input_params, dict) else {}
        estimate = info.context.services.runner.estimate(generator_name, params)
        return CostEstimateFields.from_contract(estimate)


@strawberry.type
class RunMutations:
    @strawberry.mutation(description="Run a generator on a board; follow it with the progress stream.")
    async def create_generation(self, info: Info, input: CreateGenerationInput) -> Generation:
        return Generation.from_contract(await info.context.services.runner.create(input.to_contract()))

    @strawberry.mutation(description="Cancel a pending or running generation.")
    async def cancel_generation(self, info: Info, id: UUID) -> Generation:
        return Generation.from_contract(await info.context.services.runner.cancel(id))

    @strawberry.mutation(description="Run the same generator with the same inputs again.")
    async def regenerate(self, info: Info, id: UUID) -> Generation:
        return Generation.from_contract(await info.context.services.runner.regenerate(id))

    @strawberry.mutation(
        description="regenerate under the name the Boards client sends: a new run with the same inputs."
    )
    async def retry_generation(self, info: Info, id: UUID) -> Generation:
        return Generation.from_contract(await info.context.services.runner.regenerate(id))
