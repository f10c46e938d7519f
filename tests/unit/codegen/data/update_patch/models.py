"""Golden case: create vs update (patch) semantics — UNSET only in the patch, null kept distinct."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    """Unknown fields are an error, as in schema/api."""

    model_config = ConfigDict(extra="forbid")


class Note(Contract):
    """A note as every API shows it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Note", "kind": "type"}}}

    id: UUID
    title: str
    body: str | None
    pinned: bool
    labels: list[str]
    updated_at: datetime


class NoteCreate(Contract):
    """Create a note."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateNoteInput", "kind": "input"}}}

    title: str = Field(min_length=1, max_length=50)
    body: str | None = None
    pinned: bool = False
    labels: list[str] = Field(default_factory=list)


class NoteUpdate(Contract):
    """Change some fields of a note; left out = unchanged, null clears a nullable one."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "UpdateNoteInput", "kind": "input"}}}

    title: str | None = Field(default=None, min_length=1, max_length=50)
    body: str | None = Field(default=None, description="Null clears the body.")
    pinned: bool | None = None
    labels: list[str] | None = None


ENUMS: list[type] = []
CONTRACTS = [Note, NoteCreate, NoteUpdate]
