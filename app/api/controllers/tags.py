"""REST: /api/v1/tags."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.contracts import Tag, TagCreate, TagList, TagUpdate
from app.domain.paging import MAX_OFFSET
from app.wiring import Services


class TagController(Controller):
    path = "/api/v1/tags"
    tags = ["Tags"]

    @get(operation_id="ListTags", summary="Tags of the tenant, by name")
    async def list_tags(
        self,
        services: NamedDependency[Services],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
    ) -> TagList:
        return await services.tags.page(limit=limit, offset=offset)

    @post(operation_id="CreateTag", summary="Create a tag")
    async def create_tag(self, services: NamedDependency[Services], data: JSONBody[TagCreate]) -> Tag:
        return await services.tags.create(data)

    @get("/{tag_id:uuid}", operation_id="GetTag", summary="One tag")
    async def get_tag(self, services: NamedDependency[Services], tag_id: FromPath[UUID]) -> Tag:
        return await services.tags.get(tag_id)

    @get("/by-slug/{slug:str}", operation_id="GetTagBySlug", summary="One tag by slug")
    async def get_tag_by_slug(self, services: NamedDependency[Services], slug: FromPath[str]) -> Tag:
        return await services.tags.by_slug(slug)

    @patch("/{tag_id:uuid}", operation_id="UpdateTag", summary="Change a tag (tenant admins)")
    async def update_tag(
        self, services: NamedDependency[Services], tag_id: FromPath[UUID], data: JSONBody[TagUpdate]
    ) -> Tag:
        return await services.tags.update(tag_id, data)

    @delete(
        "/{tag_id:uuid}", operation_id="DeleteTag", summary="Delete a tag (tenant admins)", status_code=204
    )
    async def delete_tag(self, services: NamedDependency[Services], tag_id: FromPath[UUID]) -> Response[None]:
        await services.tags.delete(tag_id)
        return Response(None, status_code=204)
