"""REST: /api/v1/direct-uploads — presigned direct upload (ask for a URL, PUT the bytes there, confirm)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.contracts import DirectUpload, DirectUploadCreate, Generation
from app.wiring import Services


class DirectUploadController(Controller):
    path = "/api/v1/direct-uploads"
    tags = ["Uploads"]

    @post(
        operation_id="CreateDirectUpload",
        summary="Get a presigned URL to PUT one file straight to storage (then confirm it)",
    )
    async def create_direct_upload(
        self, services: NamedDependency[Services], data: JSONBody[DirectUploadCreate]
    ) -> DirectUpload:
        return await services.direct_uploads.create(data)

    @post(
        "/{upload_id:uuid}/confirm",
        operation_id="ConfirmDirectUpload",
        summary="The uploaded file becomes a completed generation on the board",
        status_code=200,
    )
    async def confirm_direct_upload(
        self, services: NamedDependency[Services], upload_id: FromPath[UUID]
    ) -> Generation:
        return await services.direct_uploads.confirm(upload_id)
