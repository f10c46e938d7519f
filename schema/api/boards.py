"""Board contracts: the commands that create and change a board, and the view every API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from schema.api.common import NOT_BLANK, BoardQueryRole, Contract, PageInfo, SortOrder


class BoardCreate(Contract):
    """Create a board owned by the caller."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "CreateBoardInput", "kind": "input", "declareDefaults": True}
        }
    }

    title: str = Field(
        min_length=1,
        max_length=200,
        pattern=NOT_BLANK,
        description="Board title, 1-200 characters, not blank.",
    )
    description: str | None = Field(default=None, max_length=5000)
    is_public: bool = Field(default=False, description="Readable by everyone in the tenant.")
    settings: dict[str, Any] = Field(default_factory=dict, description="Open-ended board settings.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Open-ended client metadata.")


class BoardUpdate(Contract):
    """Change some fields of a board; a field left out is left unchanged, null clears a nullable one.

    Only `description` may be null (the other columns cannot be), so only it is nullable in the schema."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    title: Annotated[str, Field(min_length=1, max_length=200, pattern=NOT_BLANK)] | SkipJsonSchema[None] = (
        None
    )
    description: str | None = Field(default=None, max_length=5000)
    is_public: bool | SkipJsonSchema[None] = None
    settings: dict[str, Any] | SkipJsonSchema[None] = None
    metadata: dict[str, Any] | SkipJsonSchema[None] = None


class UpdateBoardInput(BoardUpdate):
    """GraphQL's update input: the REST update body plus the board id (REST carries it in the path)."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "UpdateBoardInput", "kind": "input", "declareDefaults": True},
            "x-rest": {"skip": True},
        }
    }

    id: UUID


class Board(Contract):
    """A board as every API shows it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Board", "kind": "type"}}}

    id: UUID
    tenant_id: UUID
    owner_id: UUID
    title: str
    description: str | None
    is_public: bool
    settings: dict[str, Any]
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class BoardList(Contract):
    """One page of boards."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    items: list[Board]
    page: PageInfo


class BoardListQuery(Contract):
    """Filters of the caller's board list (myBoards / GET /api/v1/boards)."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)
    role: BoardQueryRole = BoardQueryRole.ANY
    sort: SortOrder = SortOrder.UPDATED_DESC
