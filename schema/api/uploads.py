"""Uploads: a user's own file registered on a board as a completed generation (source = upload)."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from schema.api.common import ArtifactType, Contract


class UploadFromUrl(Contract):
    """Fetch a file from a public http(s) URL into a board (Boards' uploadArtifact input)."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "UploadArtifactInput", "kind": "input", "declareDefaults": True}
        }
    }

    board_id: UUID
    artifact_type: ArtifactType = Field(description="Checked against the content sniffed from the bytes.")
    file_url: str | None = Field(
        default=None,
        min_length=1,
        max_length=2048,
        description="A public http or https URL (required; optional in the type as in Boards).",
    )
    original_filename: str | None = Field(
        default=None, max_length=1024, description="Shown name; taken from the URL path when absent."
    )
    user_description: str | None = Field(default=None, max_length=5000)
    parent_generation_id: UUID | None = Field(
        default=None, description="Lineage: the generation this upload derives from (role: parent)."
    )
