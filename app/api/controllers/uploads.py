"""REST uploads: multipart files (Boards' POST /api/uploads/artifact, and /api/v1) and URLs (/api/v1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import JSONBody, MultipartBody

from app.contracts import ArtifactType, Generation, UploadFromUrl
from app.domain.errors import Invalid
from app.domain.uploads import FileUpload
from app.settings import Settings
from app.wiring import Services

MULTIPART_OVERHEAD = 1 << 20  # form fields and part headers around the file


@dataclass
class UploadForm:
    """The multipart form exactly as Boards clients send it (snake_case fields, lowercase artifact_type)."""

    board_id: UUID
    artifact_type: str  # any case (Boards sends lowercase); the document lists the values
    file: UploadFile
    user_description: str | None = None
    parent_generation_id: UUID | None = None


async def _from_form(form: UploadForm) -> FileUpload:
    try:
        artifact_type = ArtifactType(form.artifact_type.strip().lower())  # lora/model: 415 from the service
    except ValueError:
        raise Invalid(
            "artifact_type must be image, video, audio or text", details={"field": "artifact_type"}
        ) from None
    return FileUpload(
        board_id=form.board_id,
        artifact_type=artifact_type,
        data=await form.file.read(),
        filename=form.file.filename or None,
        user_description=form.user_description or None,
        parent_generation_id=form.parent_generation_id,
    )


class UploadController(Controller):
    path = "/api/v1/uploads"
    tags = ["Uploads"]

    @post("/artifact", operation_id="UploadArtifactFile", summary="Upload a file to a board (multipart)")
    async def upload_file(
        self, services: NamedDependency[Services], data: MultipartBody[UploadForm]
    ) -> Generation:
        """Fields: board_id, artifact_type (image|video|audio|text), file, user_description,
        parent_generation_id. The content type is sniffed from the bytes; the result is a completed generation."""
        return await services.uploads.from_file(await _from_form(data))

    @post("/url", operation_id="UploadArtifactFromUrl", summary="Fetch a public http(s) URL into a board")
    async def upload_url(
        self, services: NamedDependency[Services], data: JSONBody[UploadFromUrl]
    ) -> Generation:
        return await services.uploads.from_url(data)


class BoardsUploadController(Controller):
    """Boards clients POST here and expect 200 (the same handler as /api/v1/uploads/artifact)."""

    path = "/api/uploads"
    tags = ["Uploads"]

    @post(
        "/artifact",
        status_code=200,
        operation_id="UploadArtifactFileBoards",
        summary="Upload a file to a board (multipart; the Boards clients' path, answers 200)",
    )
    async def upload_file(
        self, services: NamedDependency[Services], data: MultipartBody[UploadForm]
    ) -> Generation:
        return await services.uploads.from_file(await _from_form(data))


def upload_controllers_for(settings: Settings) -> list[type[Controller]]:
    """The controllers with the request body limit set from settings (Litestar's default is 10 MB)."""
    limit = settings.upload_max_bytes + MULTIPART_OVERHEAD
    sized: dict[str, Any] = {"request_max_body_size": limit}
    return [
        type("UploadController", (UploadController,), sized),
        type("BoardsUploadController", (BoardsUploadController,), sized),
    ]
