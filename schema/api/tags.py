"""Tags: tenant-wide labels attached to generations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from schema.api.common import Contract, PageInfo

SLUG = r"^[a-z0-9][a-z0-9-]{0,99}$"
NAME = r"[A-Za-z0-9]"  # an ASCII letter or digit somewhere: the slug is made of them


class Tag(Contract):
    """A tag as every API shows it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Tag", "kind": "type"}}}

    id: UUID
    tenant_id: UUID
    name: str
    slug: str
    description: str | None
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class TagCreate(Contract):
    """Create a tag; the slug is derived from the name when left out."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "CreateTagInput", "kind": "input", "declareDefaults": True}
        }
    }

    name: str = Field(
        min_length=1, max_length=100, pattern=NAME, description="Needs an ASCII letter or digit (the slug's)."
    )
    slug: str | None = Field(default=None, min_length=1, max_length=100, pattern=SLUG)
    description: str | None = Field(default=None, max_length=2000)
    metadata: dict[str, Any] = Field(default_factory=dict)


class TagUpdate(Contract):
    """Change some fields of a tag."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=NAME)] | SkipJsonSchema[None] = None
    slug: Annotated[str, Field(min_length=1, max_length=100, pattern=SLUG)] | SkipJsonSchema[None] = None
    description: str | None = Field(default=None, max_length=2000)
    metadata: dict[str, Any] | SkipJsonSchema[None] = None


class UpdateTagInput(TagUpdate):
    """GraphQL's updateTag input: the REST body plus the tag id."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "UpdateTagInput", "kind": "input", "declareDefaults": True},
            "x-rest": {"skip": True},
        }
    }

    id: UUID


class TagList(Contract):
    """One page of tags."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    items: list[Tag]
    page: PageInfo
