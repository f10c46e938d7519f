"""Generations: one run of a generator on a board, and the artifacts it produced."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from schema.api.common import ArtifactType, Contract, GenerationStatus, PageInfo


class AdditionalFile(Contract):
    """An extra file a generation produced (e.g. a poster frame, a second image)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AdditionalFile", "kind": "type"}}}

    url: str
    type: str
    metadata: dict[str, Any]


class Generation(Contract):
    """A generation as every API shows it. progress is on ONE scale: 0..1."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Generation", "kind": "type"}}}

    id: UUID
    tenant_id: UUID
    board_id: UUID
    user_id: UUID
    generator_name: str
    artifact_type: ArtifactType
    storage_url: str | None
    thumbnail_url: str | None
    additional_files: list[AdditionalFile]
    input_params: dict[str, Any]
    output_metadata: dict[str, Any]
    external_job_id: str | None
    status: GenerationStatus
    progress: float
    phase: str | None = Field(
        description="Finer stage of the run: queued | initializing | processing | finalizing."
    )
    message: str | None = Field(description="The worker's latest human-readable progress message.")
    error_message: str | None
    error_code: str | None = Field(
        description="Why it failed, for machines: STORAGE_FULL, STORAGE_UNAVAILABLE, WORKER_LOST, TIMED_OUT, "
        "GENERATOR_FAILED (null unless failed)."
    )
    started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    batch_id: UUID | None = Field(
        default=None,
        description="Shared by the generations one batch request created (stack them by it); null otherwise.",
    )
    batch_index: int | None = Field(
        default=None, description="Position in its batch, from 0; null outside a batch."
    )


class GenerationList(Contract):
    """One page of generations."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    items: list[Generation]
    page: PageInfo


class LikeStatus(Contract):
    """How many people like a generation, and whether you do."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "LikeStatus", "kind": "type"}}}

    generation_id: UUID
    like_count: int
    liked_by_me: bool


class GenerationFeed(Contract):
    """A page of the public feed; pass next_cursor as `after` (GraphQL) or `cursor` (REST) for the next one."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationFeed", "kind": "type"}}}

    items: list[Generation]
    next_cursor: str | None


class GenerationCreate(Contract):
    """Run a generator on a board. The inputs are checked against the generator's input schema."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "CreateGenerationInput", "kind": "input", "declareDefaults": True}
        }
    }

    board_id: UUID
    generator_name: str = Field(min_length=1, max_length=200)
    artifact_type: ArtifactType | None = Field(
        default=None, description="Checked against the generator's type."
    )
    input_params: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="Same key, same generation: retries never run twice.",
    )


class GeneratorPrice(Contract):
    """How a generator is priced, in credits (the provider's list price in USD) per unit."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GeneratorPrice", "kind": "type"}}}

    per: str = Field(description="run | output | second | megapixel | 1k_characters")
    amount: float = Field(description="Credits per unit (some inputs, e.g. quality, change it: see summary)")
    summary: str = Field(
        description="The rule in words, e.g. '0.003 per megapixel (image_size) x num_images'"
    )


class GeneratorInfo(Contract):
    """A generator clients can run, with the JSON Schema of its inputs (render it as a form)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GeneratorInfo", "kind": "type"}}}

    name: str
    description: str
    artifact_type: ArtifactType
    input_schema: dict[str, Any]
    provider: str = Field(default="local", description="fal, replicate, openai, or local (needs no key)")
    model: str | None = Field(default=None, description="The provider's model or endpoint id")
    display_name: str = Field(default="", description="A name for people (the name when there is none)")
    task: str | None = Field(
        default=None, description="text-to-image, image-to-video, text-to-speech, llm, ..."
    )
    price: GeneratorPrice | None = Field(default=None, description="Null for generators that cost nothing")


class GeneratorGroup(Contract):
    """The generators of one artifact type from one provider, as a picker shows them."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GeneratorGroup", "kind": "type"}}}

    artifact_type: ArtifactType
    provider: str
    generators: list[GeneratorInfo]


class CostEstimate(Contract):
    """What a run would cost, before running it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CostEstimate", "kind": "type"}}}

    generator_name: str
    estimated_cost: float


class ProgressArtifact(Contract):
    """An artifact as progress events list it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "ProgressArtifact", "kind": "type"}}}

    url: str | None
    type: str


class GenerationProgress(Contract):
    """One progress event (SSE `data:` and the GraphQL subscription): progress is on ONE scale, 0..1.
    `status` is the one GenerationStatus of REST, GraphQL and the TypeScript client: JSON (REST, SSE) carries
    its lowercase Boards wire value ("completed"), GraphQL the enum name (COMPLETED), as for Generation."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "GenerationProgress", "kind": "type"}}}

    job_id: str
    board_id: str
    status: GenerationStatus
    progress: float
    phase: str | None = Field(description="queued | initializing | processing | finalizing.")
    message: str | None
    error: str | None
    estimated_completion: str | None = Field(
        description="When the run should finish at its current pace (ISO 8601), once it has progressed."
    )
    artifacts: list[ProgressArtifact]
    timestamp: str


class LineageEdge(Contract):
    """`generation_id` used `input_generation_id`'s artifact in `role`; depth counts from the root."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    generation_id: UUID
    input_generation_id: UUID
    role: str
    depth: int


class Lineage(Contract):
    """Ancestry or descendants of a generation, as edges plus every generation they reach (readable ones)."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    root_id: UUID
    direction: str
    edges: list[LineageEdge]
    generations: list[Generation]


class WebhookReceipt(Contract):
    """What became of a provider webhook delivery: delivered (to its running generation), duplicate (a
    redelivery, not processed again), unmatched (no generation has that job id) or ignored (already over)."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    status: str
