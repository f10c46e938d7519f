"""Every scheduled task fires as often as its setting says (croniter reads a sixth field as SECONDS: the old
"*/10 * * * * *" fired every second of every tenth minute, and "30 * * * * *" only in minute 30 of each hour)."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

import pytest
from croniter import croniter

from app.jobs.config import scheduled_tasks
from app.jobs.sweeper import next_fire

START = datetime(2026, 12, 1, 21, 34, 47, tzinfo=UTC)
EXPECTED_PERIOD_S = {"sweep_expired_uploads": 60}


def fire_times(cron: str, count: int) -> list[float]:
    schedule = croniter(cron, START)
    return [schedule.get_next(float) for _ in range(count)]


@pytest.mark.parametrize("job", scheduled_tasks(), ids=lambda job: job.function.__name__)
def test_each_cron_job_fires_at_its_period(job: object) -> None:
    name = job.function.__name__  # type: ignore[attr-defined]
    times = fire_times(job.cron, 6)  # type: ignore[attr-defined]
    gaps = {round(b - a) for a, b in pairwise(times)}
    assert gaps == {EXPECTED_PERIOD_S[name]}, f"{name} fires at {times}"
    assert times[0] - START.timestamp() <= EXPECTED_PERIOD_S[name]


def test_the_old_expressions_would_have_failed() -> None:
    """The check above is not vacuous: the expressions this replaced do not fire at a steady period."""
    for old in ("*/10 * * * * *", "30 * * * * *"):
        times = fire_times(old, 6)
        gaps = {round(b - a) for a, b in pairwise(times)}
        assert gaps not in ({10}, {60})


@pytest.mark.parametrize("interval", [1, 5, 7, 60])
def test_the_generation_sweeper_fires_every_interval(interval: int) -> None:
    now = START.timestamp() + 0.25
    times = [next_fire(now, interval)]
    for _ in range(5):
        times.append(next_fire(times[-1], interval))
    assert 0 < times[0] - now <= interval
    assert {round(b - a, 6) for a, b in pairwise(times)} == {interval}
