"""Progress events: phase and message come from the committed row; the ETA follows the pace so far."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.contracts import ArtifactType, Generation, GenerationStatus
from app.domain.generations.lifecycle import Run
from app.generators import PermanentError
from app.jobs.context import RunContext
from app.platform.events import progress_event

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _generation(**changes: Any) -> Generation:
    values: dict[str, Any] = {
        "id": uuid.uuid4(), "tenant_id": uuid.uuid4(), "board_id": uuid.uuid4(), "user_id": uuid.uuid4(),
        "generator_name": "local-video", "artifact_type": ArtifactType.VIDEO, "storage_url": None,
        "thumbnail_url": None, "additional_files": [], "input_params": {}, "output_metadata": {},
        "external_job_id": None, "status": GenerationStatus.PROCESSING, "progress": 0.25,
        "phase": "processing", "message": "frames 18/72", "error_message": None, "error_code": None,
        "started_at": NOW - timedelta(seconds=10), "completed_at": None, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    values.update(changes)
    return Generation(**values)


def test_the_event_carries_the_boards_keys_and_the_rows_phase_and_message() -> None:
    generation = _generation()
    event = progress_event(generation, now=NOW)
    assert event["job_id"] == event["jobId"] == str(generation.id)
    assert (event["status"], event["progress"], event["phase"], event["message"]) == (
        "processing",
        0.25,
        "processing",
        "frames 18/72",
    )
    # 10 s for the first quarter: 30 s more at that pace.
    assert event["estimated_completion"] == (NOW + timedelta(seconds=30)).isoformat()
    assert event["timestamp"] == NOW.isoformat() and event["artifacts"] == []
    msgspec.json.decode(msgspec.json.encode(event))  # plain JSON


@pytest.mark.parametrize(
    "changes",
    [
        {"status": GenerationStatus.PENDING, "progress": 0.0, "phase": "queued", "started_at": None},
        {"progress": 0.0},  # processing, no pace yet
        {"status": GenerationStatus.COMPLETED, "progress": 1.0, "completed_at": NOW},
        {"status": GenerationStatus.FAILED},
    ],
)
def test_no_estimate_without_a_pace_or_once_finished(changes: dict[str, Any]) -> None:
    assert progress_event(_generation(**changes), now=NOW)["estimated_completion"] is None


@given(fraction=st.floats(min_value=0.001, max_value=0.999), elapsed=st.floats(min_value=0, max_value=3600))
def test_the_estimate_is_never_in_the_past(fraction: float, elapsed: float) -> None:
    generation = _generation(progress=fraction, started_at=NOW - timedelta(seconds=elapsed))
    estimate = progress_event(generation, now=NOW)["estimated_completion"]
    assert datetime.fromisoformat(estimate) >= NOW


async def test_a_generator_reporting_an_unknown_phase_fails_permanently() -> None:
    generation = _generation()
    run = Run(generation.id, generation.tenant_id, 1, "test")
    context = RunContext(runtime=None, run=run, generation=generation, deadline=0.0)  # type: ignore[arg-type]
    with pytest.raises(PermanentError, match="unknown progress phase"):
        await context.progress(0.5, phase="rendering")  # type: ignore[arg-type]
