"""uploadArtifact (Boards): fetch a URL into a board as a completed generation (files go through REST)."""

from __future__ import annotations

import strawberry

from app.graphql._generated.types import UploadArtifactInput
from app.graphql.context import Info
from app.graphql.types import Generation


@strawberry.type
class UploadMutations:
    @strawberry.mutation(
        description="Fetch a public http(s) URL into a board; the bytes decide the type, not the URL or headers."
    )
    async def upload_artifact(self, info: Info, input: UploadArtifactInput) -> Generation:
        return Generation.from_contract(await info.context.services.uploads.from_url(input.to_contract()))
