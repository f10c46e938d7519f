"""The generator contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, get_args
from uuid import UUID

from pydantic import BaseModel

Phase = Literal["initializing", "processing", "finalizing"]
"""Stages a generator reports (`queued` belongs to the queue); clients show them beside the progress bar."""
PHASES: frozenset[str] = frozenset(get_args(Phase))


class PermanentError(Exception):
    """A failure retrying cannot fix (bad input, refused content); anything else counts as transient."""


@dataclass(frozen=True)
class Artifact:
    """A stored output: where it is and what it is."""

    key: str
    url: str
    content_type: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GeneratorResult:
    """outputs[0] is the primary artifact, the rest become additional_files. `thumbnail` (one of the outputs,
    e.g. a video's poster or an audio waveform) is used as the generation's thumbnail as it is; without one,
    an image output gets a small JPEG made for it."""

    outputs: list[Artifact]
    metadata: dict[str, Any] = field(default_factory=dict)
    thumbnail: Artifact | None = None


class GeneratorContext(Protocol):
    """What a running generator may do. Every call is recorded before it is announced."""

    async def progress(
        self, fraction: float, *, phase: Phase = "processing", message: str | None = None
    ) -> None:
        """Report progress on ONE scale, 0..1 (monotonic: lower values are ignored) and the current phase."""
        ...

    async def store(
        self, data: bytes, *, content_type: str, extension: str, metadata: dict[str, Any]
    ) -> Artifact:
        """Store an output through the storage port."""
        ...

    async def set_external_job_id(self, job_id: str) -> None: ...

    async def resolve_artifact(self, generation_id: UUID) -> Path:
        """A local file holding an input generation's artifact (its lineage edge is already recorded)."""
        ...

    async def cancelled(self) -> bool:
        """True once someone asked to cancel; a generator should stop soon after."""
        ...

    def previous_external_job_id(self) -> str | None:
        """The provider job an earlier attempt of this generation started (resume it: no second bill)."""
        ...

    async def provider_event(self, wait_s: float) -> dict[str, Any] | None:
        """The next verified webhook payload for this run's external job, or None after `wait_s` seconds."""
        ...


class Generator(ABC):
    """Base of every generator. Subclasses set the class attributes and implement generate()."""

    name: ClassVar[str]
    artifact_type: ClassVar[str]  # image | video | audio | text | lora | model
    description: ClassVar[str] = ""
    Input: ClassVar[type[BaseModel]]
    timeout_seconds: ClassVar[float] = 600

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = options or {}

    def input_schema(self) -> dict[str, Any]:
        """The Input model's JSON Schema, built once (Pydantic builds it afresh on every call, ~2 ms).

        Callers share the dict: read it, don't change it."""
        schema: dict[str, Any] | None = self.__dict__.get("_input_schema")
        if schema is None:
            schema = self.__dict__["_input_schema"] = self.Input.model_json_schema()
        return schema

    def unavailable_reason(self) -> str | None:
        """Why this generator cannot run here (e.g. its API key is unset); None when it can."""
        return None

    def estimate_cost(self, inputs: BaseModel) -> Decimal:
        """Credits this run will cost (0 for local generators)."""
        return Decimal(0)

    @abstractmethod
    async def generate(self, inputs: Any, context: GeneratorContext) -> GeneratorResult: ...
