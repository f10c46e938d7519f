"""The run-log checks on hand-written logs (no deployment): they must catch overlap and double execution, and
must not flag a clean retry after a kill or a hand-back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults.checks import Outcome, check_run_log, holders, overlapping, runs_by_generation


def event(g: str, a: int, e: str, t: float, pid: int = 1, n: int = 0) -> dict[str, object]:
    return {"g": g, "a": a, "e": e, "n": n, "t": t, "pid": pid}


def write(path: Path, events: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events) + '{"torn line')
    return path


def row(status: str = "completed", attempt: int = 1) -> dict[str, object]:
    return {"status": status, "attempt": attempt, "error": "", "completed_at": None}


def test_a_retry_after_the_first_attempt_stopped_is_clean(tmp_path: Path) -> None:
    first = [event("g", 1, "start", 1.0), event("g", 1, "step", 2.0)]  # then killed
    second = [
        event("g", 2, "start", 5.0, pid=2),
        event("g", 2, "step", 6.0, pid=2),
        event("g", 2, "end", 7.0, pid=2),
    ]
    log = write(tmp_path / "runs.jsonl", [*first, *second])
    outcome = Outcome("t", 1)
    assert check_run_log(outcome, log, {"g": row(attempt=2)}) == set()
    assert outcome.violations == []


def test_a_zombie_step_after_the_next_claim_is_flagged(tmp_path: Path) -> None:
    events = [event("g", 1, "start", 1.0), event("g", 2, "start", 5.0, pid=2), event("g", 1, "step", 5.5)]
    runs = runs_by_generation(events, ["g"])
    assert overlapping(runs["g"]) == "attempt 1 (step 0) ran 0.50 s after attempt 2 started"
    outcome = Outcome("t", 1)
    assert check_run_log(outcome, write(tmp_path / "runs.jsonl", events), {"g": row(attempt=2)}) == {"g"}
    assert any("executed more than once" in v for v in outcome.violations)


def test_two_ends_count_as_a_duplicate_execution(tmp_path: Path) -> None:
    events = [event("g", 1, "start", 1.0), event("g", 1, "end", 2.0)]
    events += [event("g", 2, "start", 3.0), event("g", 2, "end", 4.0)]
    outcome = Outcome("t", 1)
    assert check_run_log(outcome, write(tmp_path / "runs.jsonl", events), {"g": row(attempt=2)}) == {"g"}


def test_a_silent_run_log_is_a_violation(tmp_path: Path) -> None:
    outcome = Outcome("t", 2)
    check_run_log(outcome, write(tmp_path / "runs.jsonl", []), {"g": row(), "h": row("pending", 0)})
    assert outcome.violations == [
        "run log runs.jsonl: no 'start' event for 1 of 1 generations (does atelier-test write ATELIER_TEST_RUN_LOG?)",
        "run log runs.jsonl: no 'end' event for 1 of 1 generations (does atelier-test write ATELIER_TEST_RUN_LOG?)",
    ]


def test_holders_counts_runs_not_yet_ended_by_pid(tmp_path: Path) -> None:
    events = [event("a", 1, "start", 1.0, pid=7), event("b", 1, "start", 1.0, pid=7)]
    events += [event("c", 1, "start", 1.0, pid=8), event("c", 1, "end", 2.0, pid=8)]
    assert holders(write(tmp_path / "runs.jsonl", events), ["a", "b", "c"]) == {7: 2}


def test_the_kill_timing_counts_what_had_ended_on_the_victim_before_the_kill(tmp_path: Path) -> None:
    from tests.faults.timing import end_to_commit, kill_timing

    log = write(
        tmp_path / "runs.jsonl",
        [
            event("ended", 1, "start", 1.0), event("ended", 1, "end", 4.0),
            event("running", 1, "start", 2.0),
            event("elsewhere", 1, "start", 0.5, pid=2), event("elsewhere", 1, "end", 4.1, pid=2),
        ],
    )  # fmt: skip
    ids = ["ended", "running", "elsewhere"]
    late = kill_timing(log, ids, victim_pid=1, killed_at=4.5)
    assert (late.running, late.ended, late.earliest_age_s) == (1, {"ended"}, 3.5)
    mid = kill_timing(log, ids, victim_pid=1, killed_at=3.0)  # the end came after the kill: not counted
    assert (mid.running, mid.ended) == (2, set())
    rows = {"ended": {**row(), "completed_at": 4.25}, "running": row(status="processing")}
    assert [round(gap, 2) for gap in end_to_commit(log, rows)] == [0.25]
