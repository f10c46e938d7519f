"""When a fault landed relative to the runs it hit, read from the run log (not from when a poll noticed).

The worker-kill scenario must kill a worker MID-run: a run that already logged its generator's end on the
victim, but whose completion was not committed yet, legitimately runs again elsewhere (a local generator
killed between its last step and its commit). Such a kill is recorded and reported, never silently passed
or dropped; and the gap between a generator's end and its completion commit (the window in which that can
happen) is measured on every completed run.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.faults.checks import read_lines, read_run_log, runs_by_generation


class LateKill(UserWarning):
    """A worker kill that landed after some of the victim's runs had ended (shown in pytest's warnings
    summary; the suite turns other warnings into errors)."""


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def started_since(path: Path, offset: int, ids: list[str]) -> dict[str, float]:
    """generation → time of its first `start` logged after byte `offset` of the run log."""
    wanted, first = set(ids), dict[str, float]()
    with path.open("rb") as fh:
        fh.seek(offset)
        text = fh.read().decode(errors="replace")
    for event in read_lines(text):
        if event["e"] == "start" and event["g"] in wanted:
            first.setdefault(event["g"], float(event["t"]))
    return first


def wait_started(path: Path, offset: int, ids: list[str], within: float) -> dict[str, float]:
    """Until every generation logged its start (a worker runs it), at most `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        started = started_since(path, offset, ids)
        if len(started) == len(ids) or time.monotonic() >= deadline:
            return started
        time.sleep(0.02)


@dataclass
class KillTiming:
    """The victim's runs as they stood when it was killed."""

    running: int  # started there and not ended
    ended: set[str]  # had logged their generator's end there (completed, or about to be)
    earliest_age_s: float  # how far into its run the victim's oldest run was

    def describe(self, duration_s: float) -> str:
        return (
            f"at the kill the victim ran {self.running} runs, the oldest {self.earliest_age_s:.2f} s into its"
            f" {duration_s:g} s; {len(self.ended)} had already ended there"
        )


def kill_timing(path: Path, ids: list[str], victim_pid: int, killed_at: float) -> KillTiming:
    running, ended, starts = 0, set(), []
    for g, attempts in runs_by_generation(read_run_log(path), ids).items():
        for events in attempts.values():
            mine = [e for e in events if int(e.get("pid", 0)) == victim_pid and float(e["t"]) <= killed_at]
            if not mine:
                continue
            starts += [float(e["t"]) for e in mine if e["e"] == "start"]
            if any(e["e"] == "end" for e in mine):
                ended.add(g)
            else:
                running += 1
    age = killed_at - min(starts) if starts else 0.0
    return KillTiming(running, ended, age)


def end_to_commit(path: Path, rows: dict[str, dict[str, Any]]) -> list[float]:
    """Seconds from the generator's `end` (of the attempt that completed) to the row's completion commit."""
    runs = runs_by_generation(read_run_log(path), list(rows))
    gaps = []
    for g, row in rows.items():
        if row["status"] != "completed" or row["completed_at"] is None:
            continue
        ends = [float(e["t"]) for e in runs.get(g, {}).get(int(row["attempt"]), []) if e["e"] == "end"]
        if ends:
            gaps.append(row["completed_at"] - max(ends))
    return gaps


def describe_gaps(gaps: list[float]) -> str:
    if not gaps:
        return "no completed run to measure"
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"generator end → completion committed over {len(gaps)} runs: median "
        f"{statistics.median(gaps) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )
