"""A GeneratorContext that records what a generator does (no database, no storage: pure generator logic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from app.generators import Artifact


class RecordingContext:
    def __init__(self, *, cancel_after_checks: int | None = None) -> None:
        self.progress_calls: list[tuple[float, str, str | None]] = []
        self.stored: list[tuple[bytes, Artifact]] = []
        self.checks = 0
        self._cancel_after = cancel_after_checks

    async def progress(
        self, fraction: float, *, phase: str = "processing", message: str | None = None
    ) -> None:
        self.progress_calls.append((fraction, phase, message))

    async def store(
        self, data: bytes, *, content_type: str, extension: str, metadata: dict[str, Any]
    ) -> Artifact:
        artifact = Artifact(
            key=f"out-{len(self.stored)}.{extension}",
            url="/files/x",
            content_type=content_type,
            metadata=metadata,
        )
        self.stored.append((data, artifact))
        return artifact

    async def set_external_job_id(self, job_id: str) -> None:
        raise AssertionError("local generators have no external job")

    async def resolve_artifact(self, generation_id: UUID) -> Path:
        raise AssertionError("no inputs here")

    async def cancelled(self) -> bool:
        self.checks += 1
        return self._cancel_after is not None and self.checks > self._cancel_after
