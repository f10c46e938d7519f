"""Presigned direct upload mutations (the same DirectUploadService as REST)."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.graphql._generated.types import CreateDirectUploadInput, DirectUploadFields
from app.graphql.context import Info
from app.graphql.types import Generation


@strawberry.type
class DirectUploadMutations:
    @strawberry.mutation(
        description="A presigned URL to PUT one file straight to storage; confirm it afterwards."
    )
    async def create_direct_upload(self, info: Info, input: CreateDirectUploadInput) -> DirectUploadFields:
        upload = await info.context.services.direct_uploads.create(input.to_contract())
        return DirectUploadFields.from_contract(upload)

    @strawberry.mutation(description="The uploaded file becomes a completed generation on the board.")
    async def confirm_direct_upload(self, info: Info, id: UUID) -> Generation:
        return Generation.from_contract(await info.context.services.direct_uploads.confirm(id))
