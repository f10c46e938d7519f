"""Generation search: the query (REST query string, GraphQL input), hits with highlighted snippets, facets,
saved views, and batches of variations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from schema.api.common import ArtifactType, Contract, GenerationStatus, Seed
from schema.api.generations import Generation

# The grammar's shape (app/domain/search/query.py parses the same): scope, dotted key, operator, value.
CONDITION = r"^\s*(input|output)\.[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\s*(!=|<=|>=|=|<|>|~)[\s\S]*$"
Condition = Annotated[str, Field(max_length=300, pattern=CONDITION)]


class SearchSort(str, Enum):
    """Order of search results; relevance without words falls back to newest."""

    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    MOST_LIKED = "most_liked"


class GenerationSearchQuery(Contract):
    """What to find among the generations you may read. Every filter narrows (AND); list values widen (OR)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationSearchInput", "kind": "input"}}}

    q: str | None = Field(
        default=None, max_length=500, description="Words of the prompt, negative prompt or other text inputs."
    )
    generator_names: list[str] = Field(default_factory=list, max_length=20)
    artifact_types: list[ArtifactType] = Field(default_factory=list, max_length=6)
    statuses: list[GenerationStatus] = Field(default_factory=list, max_length=5)
    board_ids: list[UUID] = Field(default_factory=list, max_length=50)
    user_ids: list[UUID] = Field(default_factory=list, max_length=50, description="Authors.")
    tags: list[str] = Field(default_factory=list, max_length=20, description="Tag slugs (any of them).")
    liked_by_me: bool = False
    batch_id: UUID | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    seed: Seed | None = Field(default=None, description="The seed of the inputs or of the output metadata.")
    min_width: int | None = Field(default=None, ge=0, le=1_000_000)
    max_width: int | None = Field(default=None, ge=0, le=1_000_000)
    min_height: int | None = Field(default=None, ge=0, le=1_000_000)
    max_height: int | None = Field(default=None, ge=0, le=1_000_000)
    where: list[Condition] = Field(
        default_factory=list,
        max_length=10,
        description='Metadata conditions: "input.<key> <op> <value>" or "output.<key> <op> <value>", op one of '
        '= != < <= > >= ~ (contains), e.g. "input.num_inference_steps>=30", "output.format=png", '
        '"input.loras.0.name~anime". Keys are letters, digits and _ separated by dots; '
        "ranges compare numbers, ~ looks for text.",
    )
    sort: SearchSort = SearchSort.RELEVANCE
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=1000, description="nextCursor of the previous page.")


class SnippetRange(Contract):
    """A highlighted span of a snippet: characters [start, end)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "SnippetRange", "kind": "type"}}}

    start: int
    end: int


class GenerationSearchHit(Contract):
    """One found generation, with the words that matched highlighted in a snippet of its prompt."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationSearchHit", "kind": "type"}}}

    generation: Generation
    rank: float | None = Field(description="Relevance (higher is better) when words were searched.")
    snippet: str | None = Field(description="Plain text around the matches (never HTML).")
    highlights: list[SnippetRange]


class GenerationSearchResult(Contract):
    """A page of search hits; pass next_cursor back as `cursor` for the next one (stable while rows arrive)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationSearchResult", "kind": "type"}}}

    items: list[GenerationSearchHit]
    next_cursor: str | None


class FacetCount(Contract):
    """How many results carry one value (a generator, a type, a tag, a day or a week)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "FacetCount", "kind": "type"}}}

    value: str
    label: str | None
    count: int


class GenerationFacets(Contract):
    """Counts per value for the current query, for filter chips. `complete` is false when the time budget cut
    some facets short (they are then left empty and named in `skipped`)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationFacets", "kind": "type"}}}

    total: int
    generators: list[FacetCount]
    artifact_types: list[FacetCount]
    tags: list[FacetCount]
    days: list[FacetCount]
    weeks: list[FacetCount]
    complete: bool
    skipped: list[str]


class SavedViewCreate(Contract):
    """Save a search under a name; with a board id, everyone who can read that board sees it too."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateSavedViewInput", "kind": "input"}}}

    name: str = Field(min_length=1, max_length=100)
    board_id: UUID | None = Field(default=None, description="Share with this board's readers.")
    query: dict[str, Any] = Field(description="A GenerationSearchQuery (its cursor is dropped).")


class SavedView(Contract):
    """A saved search."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "SavedView", "kind": "type"}}}

    id: UUID
    tenant_id: UUID
    user_id: UUID
    board_id: UUID | None
    name: str
    query: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class GenerationBatchCreate(Contract):
    """Run one generator N times in one request: `count` copies, one per `seeds` entry, or every combination
    of `sweep` (input name -> values). At most 16 generations; one idempotency key covers the batch."""

    model_config = {
        "json_schema_extra": {"x-graphql": {"name": "CreateGenerationBatchInput", "kind": "input"}}
    }

    board_id: UUID
    generator_name: str = Field(min_length=1, max_length=200)
    artifact_type: ArtifactType | None = None
    input_params: dict[str, Any] = Field(default_factory=dict)
    count: int | None = Field(default=None, ge=1, le=16)
    seeds: list[Seed] = Field(default_factory=list, max_length=16)
    sweep: dict[str, Any] = Field(
        default_factory=dict, description='Input name -> list of values, e.g. {"guidance_scale": [3, 7]}.'
    )
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)


class GenerationBatch(Contract):
    """The generations of one batch, in batch order."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationBatch", "kind": "type"}}}

    batch_id: UUID
    items: list[Generation]
