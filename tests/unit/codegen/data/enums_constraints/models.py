"""Golden case: enums and field constraints (lengths, pattern, bounds), UUID, datetime, JSON, defaults."""

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    """Unknown fields are an error, as in schema/api."""

    model_config = ConfigDict(extra="forbid")


class Colour(str, Enum):
    """A swatch colour."""

    RED = "red"
    DARK_BLUE = "dark_blue"


class Swatch(Contract):
    """A swatch as every API shows it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Swatch", "kind": "type"}}}

    id: UUID
    name: str = Field(description="Display name.")
    colour: Colour
    weight: float
    note: str | None
    created_at: datetime


class SwatchCreate(Contract):
    """Create a swatch."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateSwatchInput", "kind": "input"}}}

    name: str = Field(min_length=1, max_length=20, description="Display name.")
    code: str = Field(pattern=r"^[A-Z]{3}")
    colour: Colour = Colour.RED
    weight: float = Field(default=1.0, gt=0, le=100)
    count: int = Field(default=0, ge=0, lt=10)
    note: str | None = Field(default=None, max_length=50)
    is_public: bool = False
    settings: dict[str, Any] = Field(default_factory=dict)


ENUMS = [Colour]
CONTRACTS = [Swatch, SwatchCreate]
