"""Shared contract pieces: enums and the page envelope used by every list endpoint."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# One non-space character, read alike by Python's `re` (msgspec, the server) and Rust's regex (pydantic-core):
# Python's `\s` also matches the separators U+001C-U+001F, Unicode's White_Space does not.
NOT_BLANK = r"[^\s\x1c-\x1f]"

# A seed is any integer JSON carries exactly (I-JSON, RFC 7493: |n| < 2^53), so a client (the TypeScript one
# included) sends and reads back the very number a generator recorded. The one bound of every seed a request
# takes: the search's filter (query string and facets body alike) and a batch's seeds.
SEED_LIMIT = 2**53 - 1
Seed = Annotated[int, Field(ge=-SEED_LIMIT, le=SEED_LIMIT)]


class Contract(BaseModel):
    """Base of every contract: unknown fields are an error, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")


class ArtifactType(str, Enum):
    """Kind of artifact a generator produces."""

    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    TEXT = "text"
    LORA = "lora"
    MODEL = "model"


class GenerationStatus(str, Enum):
    """Lifecycle of a generation; completed, failed and cancelled are terminal."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BoardRole(str, Enum):
    """Role of a member on a board (the owner is not a member row)."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class BoardQueryRole(str, Enum):
    """Which of the caller's boards a list returns."""

    ANY = "any"
    OWNER = "owner"
    MEMBER = "member"


class SortOrder(str, Enum):
    """Sort order of board lists."""

    CREATED_ASC = "created_asc"
    CREATED_DESC = "created_desc"
    UPDATED_ASC = "updated_asc"
    UPDATED_DESC = "updated_desc"


class PageInfo(Contract):
    """Limit/offset page metadata returned with every list."""

    total: int = Field(ge=0, description="Rows matching the query, ignoring limit and offset.")
    limit: int = Field(ge=0)
    offset: int = Field(ge=0)
    total_exact: bool = Field(
        default=True,
        description="False when counting stopped 10,000 rows past this page: `total` is then a lower bound.",
    )


class Problem(Contract):
    """An RFC 9457 problem: the body of every REST error (media type application/problem+json).

    Some problems carry more members: `field` (the input at fault), `errors` (each validation error)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"x-graphql": {"skip": True}})

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="The HTTP status phrase.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong, for people.")
    instance: str = Field(description="The request path.")
    code: str = Field(
        description="Machine-readable code, the same as GraphQL's extensions.code: UNAUTHENTICATED, "
        "FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT, RATE_LIMITED, PAYMENT_REQUIRED, ..."
    )
    request_id: str | None = Field(
        default=None, description="The request's id, as in the X-Request-ID header."
    )
    retry_after: int | None = Field(default=None, description="Seconds to wait before retrying (429).")
