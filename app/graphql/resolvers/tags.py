"""Tag queries and mutations (Boards names)."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.domain.errors import NotFound
from app.graphql._generated.types import CreateTagInput, UpdateTagInput
from app.graphql.context import Info
from app.graphql.paging import page_limit
from app.graphql.types import Tag


@strawberry.type
class TagQueries:
    @strawberry.field(description="Tags of the tenant, by name.")
    async def tags(self, info: Info, limit: int | None = 100, offset: int | None = 0) -> list[Tag]:
        # Boards' default is 100: a Boards client that leaves it out gets the same page
        page = await info.context.services.tags.page(
            limit=page_limit(limit, 100), offset=offset or 0, counted=False
        )  # no total in GraphQL: no count
        return [Tag.from_contract(item) for item in page.items]

    @strawberry.field(description="One tag, or null.")
    async def tag(self, info: Info, id: UUID) -> Tag | None:
        try:
            return Tag.from_contract(await info.context.services.tags.get(id))
        except NotFound:
            return None

    @strawberry.field(description="One tag by its slug, or null.")
    async def tag_by_slug(self, info: Info, slug: str) -> Tag | None:
        try:
            return Tag.from_contract(await info.context.services.tags.by_slug(slug))
        except NotFound:
            return None


@strawberry.type
class TagMutations:
    @strawberry.mutation(description="Create a tag (signed-in users).")
    async def create_tag(self, info: Info, input: CreateTagInput) -> Tag:
        return Tag.from_contract(await info.context.services.tags.create(input.to_contract()))

    @strawberry.mutation(description="Change a tag (tenant admins).")
    async def update_tag(self, info: Info, input: UpdateTagInput) -> Tag:
        return Tag.from_contract(await info.context.services.tags.update(input.id, input.to_contract()))

    @strawberry.mutation(description="Delete a tag (tenant admins).")
    async def delete_tag(self, info: Info, id: UUID) -> bool:
        return await info.context.services.tags.delete(id)

    @strawberry.mutation(description="Tag a generation (editors of its board).")
    async def add_tag_to_generation(self, info: Info, generation_id: UUID, tag_id: UUID) -> Tag:
        return Tag.from_contract(await info.context.services.tags.tag_generation(generation_id, tag_id))

    @strawberry.mutation(description="Untag a generation (editors of its board).")
    async def remove_tag_from_generation(self, info: Info, generation_id: UUID, tag_id: UUID) -> bool:
        return await info.context.services.tags.untag_generation(generation_id, tag_id)
