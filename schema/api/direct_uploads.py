"""Presigned direct uploads: ask for an upload URL, PUT the bytes straight to storage, confirm."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from schema.api.common import ArtifactType, Contract

CONTENT_TYPE = r"^[a-z0-9.+-]+/[a-z0-9.+-]+$"


class DirectUploadCreate(Contract):
    """Reserve a storage key for one file on a board; the answer says where to PUT the bytes."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateDirectUploadInput", "kind": "input"}}}

    board_id: UUID
    filename: str = Field(
        min_length=1, max_length=255, description="Original file name (its extension is kept)"
    )
    content_type: str = Field(
        min_length=3, max_length=200, pattern=CONTENT_TYPE, description="e.g. image/png"
    )
    size_bytes: int = Field(ge=1, description="Exact size of the file; the upload must match it")
    artifact_type: ArtifactType | None = Field(
        default=None, description="Derived from the content type when left out (image/video/audio/text)."
    )


class DirectUpload(Contract):
    """Where to send the file: `method` to `uploadUrl` with `headers`, before `expiresAt`; then confirm."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "DirectUpload", "kind": "type"}}}

    id: UUID
    board_id: UUID
    upload_url: str
    method: str
    headers: dict[str, Any]
    expires_at: datetime
    max_bytes: int
