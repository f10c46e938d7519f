"""Generation queries and mutations (Boards names)."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app import contracts
from app.domain.errors import NotFound
from app.graphql._generated.types import ArtifactType, GenerationStatus, LikeStatusFields
from app.graphql.context import Info
from app.graphql.types import Generation, GenerationFeed


@strawberry.type
class GenerationQueries:
    @strawberry.field(description="One generation you may read, or null.")
    async def generation(self, info: Info, id: UUID) -> Generation | None:
        try:
            return Generation.from_contract(await info.context.services.generations.get(id))
        except NotFound:
            return None

    @strawberry.field(description="Newest generations you may read, of one board or of all.")
    async def recent_generations(
        self,
        info: Info,
        board_id: UUID | None = None,
        status: GenerationStatus | None = None,
        artifact_type: ArtifactType | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Generation]:
        page = await info.context.services.generations.recent(
            board_id=board_id,
            status=None if status is None else contracts.GenerationStatus(status.value),
            artifact_type=None if artifact_type is None else contracts.ArtifactType(artifact_type.value),
            limit=limit,
            offset=offset,
        )
        return [Generation.from_contract(item) for item in page.items]

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
