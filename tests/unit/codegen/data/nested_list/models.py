"""Golden case: nested models, lists of models/enums/scalars, optional nested, a skipped page envelope."""

from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    """Unknown fields are an error, as in schema/api."""

    model_config = ConfigDict(extra="forbid")


class Kind(str, Enum):
    """Kind of picture."""

    PHOTO = "photo"
    DRAWING = "drawing"


class Tag(Contract):
    """A tag on a gallery."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Tag", "kind": "type"}}}

    display_name: str
    kind: Kind | None


class Gallery(Contract):
    """A gallery with its tags."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Gallery", "kind": "type"}}}

    id: UUID
    tags: list[Tag]
    cover_tag: Tag | None
    kinds: list[Kind]
    scores: list[int]
    extra: dict[str, Any]


class GalleryPage(Contract):
    """One page of galleries (REST only)."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    items: list[Gallery]
    total: int = Field(ge=0)


class TagCreate(Contract):
    """A tag to attach."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "TagInput", "kind": "input"}}}

    display_name: str = Field(min_length=1, max_length=10)
    kind: Kind | None = None


class GalleryCreate(Contract):
    """Create a gallery with tags."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateGalleryInput", "kind": "input"}}}

    title: str = Field(max_length=30)
    tags: list[TagCreate] = Field(default_factory=list, max_length=3)
    kinds: list[Kind] = Field(default_factory=list)


ENUMS = [Kind]
CONTRACTS = [Tag, Gallery, GalleryPage, TagCreate, GalleryCreate]
