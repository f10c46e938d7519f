"""Golden case: a GraphQL-only input (x-rest skip) that converts to its REST base, and an x-rest.kind override."""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    """Unknown fields are an error, as in schema/api."""

    model_config = ConfigDict(extra="forbid")


class Item(Contract):
    """An item."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Item", "kind": "type"}}}

    id: UUID
    label: str
    quantity: int


class ItemUpdate(Contract):
    """REST update body; the id is in the path."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    label: str | None = Field(default=None, max_length=40)
    quantity: int | None = Field(default=None, ge=0)


class UpdateItemInput(ItemUpdate):
    """GraphQL's update input: the REST body plus the item id."""

    model_config = {
        "json_schema_extra": {"x-graphql": {"name": "UpdateItemInput", "kind": "input"}, "x-rest": {"skip": True}}
    }

    item_id: UUID


class ItemSearch(Contract):
    """Search filters; its name says nothing, so x-rest.kind marks it an input."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}, "x-rest": {"kind": "input"}}}

    text: str = Field(default="", max_length=100)


ENUMS: list[type] = []
CONTRACTS = [Item, ItemUpdate, UpdateItemInput, ItemSearch]
