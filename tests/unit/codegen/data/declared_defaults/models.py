"""Golden case: `declareDefaults` (Boards' inputs) shows defaults in the SDL; null there means "not sent"."""

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class Contract(BaseModel):
    """Unknown fields are an error, as in schema/api."""

    model_config = ConfigDict(extra="forbid")


class Role(str, Enum):
    """A member's role."""

    VIEWER = "viewer"
    EDITOR = "editor"


class NoteCreate(Contract):
    """Create a note."""

    model_config = {
        "json_schema_extra": {"x-graphql": {"name": "CreateNoteInput", "kind": "input", "declareDefaults": True}}
    }

    title: str = Field(min_length=1, max_length=50)
    body: str | None = None
    pinned: bool = False
    role: Role = Role.VIEWER
    labels: list[str] = Field(default_factory=list)


class NoteUpdate(Contract):
    """Change some fields of a note; left out = unchanged, null clears `body` (the one nullable field)."""

    model_config = {
        "json_schema_extra": {"x-graphql": {"name": "UpdateNoteInput", "kind": "input", "declareDefaults": True}}
    }

    title: Annotated[str, Field(min_length=1, max_length=50)] | SkipJsonSchema[None] = None
    body: str | None = None
    pinned: bool | SkipJsonSchema[None] = None


ENUMS: list[type] = [Role]
CONTRACTS = [NoteCreate, NoteUpdate]
