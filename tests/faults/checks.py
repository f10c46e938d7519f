"""The invariants every fault scenario asserts, gathered into one `Outcome` (all violations, not the first).

The run log is the `atelier-test` generator's record (ATELIER_TEST_RUN_LOG): one JSON line per event,
{"g": generation id, "a": attempt, "e": "start" | "step" | "end", "n": step, "t": time.time(), "pid": pid}.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults.client import TERMINAL, Client

RECOVERY_LIMIT_S = 60.0


@dataclass
class Outcome:
    scenario: str
    generations: int
    recovery_s: float | None = None  # fault cleared → last generation terminal
    duplicates: int = 0  # generations executed (or completed) more than once, or by two attempts at a time
    lost: int = 0  # generations not terminal RECOVERY_LIMIT_S after the fault cleared
    doubled: set[str] = field(default_factory=set)  # the generations counted in `duplicates`
    late: int = 0  # worker kill: the victim's runs that had already logged their end when it was killed
    end_to_commit: list[float] = field(default_factory=list)  # s from a generator's end to its completion
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def assert_ok(self) -> None:
        if self.violations:
            raise AssertionError(f"{self.scenario}:\n - " + "\n - ".join(self.violations))


def read_run_log(path: Path) -> list[dict[str, Any]]:
    return read_lines(path.read_text(errors="replace"))


def read_lines(text: str) -> list[dict[str, Any]]:
    """The run log's events in `text` (lines that are not one are skipped: a killed writer's half line)."""
    events = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and {"g", "a", "e", "t"} <= event.keys():
            events.append(event)
    return events


def runs_by_generation(
    events: list[dict[str, Any]], ids: list[str]
) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """generation → attempt → its events in time order."""
    wanted = set(ids)
    runs: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for event in sorted(events, key=lambda e: float(e["t"])):
        if event["g"] in wanted:
            runs[event["g"]][int(event["a"])].append(event)
    return runs


def holders(run_log: Path, ids: list[str]) -> Counter[int]:
    """pid → how many of `ids` it is running (its latest attempt started and has not ended)."""
    counts: Counter[int] = Counter()
    for attempts in runs_by_generation(read_run_log(run_log), ids).values():
        latest = attempts[max(attempts)]
        if latest and not any(e["e"] == "end" for e in latest):
            counts[int(latest[0].get("pid", 0))] += 1
    return counts


def takeover_times(
    run_log: Path, ids: list[str], victim_pid: int, since: float
) -> tuple[float, float] | None:
    """For the runs the victim held: (last restart elsewhere, last end elsewhere), in seconds after `since`
    — how long noticing the death took versus the reruns themselves."""
    restarts, ends = [], []
    for attempts in runs_by_generation(read_run_log(run_log), ids).values():
        victims = [a for a, evs in attempts.items() if evs and int(evs[0].get("pid", 0)) == victim_pid]
        later = [evs for a, evs in attempts.items() if victims and a > max(victims) and evs]
        for events in later:
            restarts += [float(e["t"]) for e in events if e["e"] == "start"]
            ends += [float(e["t"]) for e in events if e["e"] == "end"]
    if not restarts or not ends:
        return None
    return max(restarts) - since, max(ends) - since


def overlapping(attempts: dict[int, list[dict[str, Any]]]) -> str | None:
    """The first attempt seen executing after a later attempt of the same row started, described."""
    starts = {
        a: min((float(e["t"]) for e in evs if e["e"] == "start"), default=None) for a, evs in attempts.items()
    }
    for a, events in attempts.items():
        for b, start in starts.items():
            if b <= a or start is None:
                continue
            late = [e for e in events if float(e["t"]) >= start]
            if late:
                after = float(late[-1]["t"]) - start
                return f"attempt {a} ({late[0]['e']} {late[0].get('n')}) ran {after:.2f} s after attempt {b} started"
    return None


def logged(runs: dict[str, dict[int, list[dict[str, Any]]]], g: str, kind: str) -> bool:
    return any(e["e"] == kind for events in runs.get(g, {}).values() for e in events)


def check_run_log(outcome: Outcome, run_log: Path, rows: dict[str, dict[str, Any]]) -> set[str]:
    """Fencing and duplicate execution from the run log; returns the generations run more than once.

    Every claimed row (attempt ≥ 1) must have logged a start, every completed one an end."""
    runs = runs_by_generation(read_run_log(run_log), list(rows))
    claimed = [g for g, r in rows.items() if r["attempt"] >= 1]
    completed = [g for g, r in rows.items() if r["status"] == "completed"]
    for kind, expected in (("start", claimed), ("end", completed)):
        silent = [g for g in expected if not logged(runs, g, kind)]
        if silent:
            outcome.violations.append(
                f"run log {run_log.name}: no {kind!r} event for {len(silent)} of {len(expected)} generations"
                " (does atelier-test write ATELIER_TEST_RUN_LOG?)"
            )
    doubled: set[str] = set()
    for g, attempts in runs.items():
        ends = sum(1 for evs in attempts.values() for e in evs if e["e"] == "end")
        overlap = overlapping(attempts)
        if overlap:
            outcome.violations.append(f"{g}: {overlap}")
        if overlap or ends > 1:
            doubled.add(g)
    if doubled:
        outcome.violations.append(f"{len(doubled)} generations executed more than once (run log)")
    return doubled


def check_ledger(outcome: Outcome, client: Client, rows: dict[str, dict[str, Any]]) -> None:
    """One reserve per generation; a completed one captured once, a failed/cancelled one refunded once."""
    problems: Counter[str] = Counter()
    for g, kinds in client.ledger(list(rows)).items():
        status = rows[g]["status"]
        captures, refunds = kinds.get("capture", 0), kinds.get("refund", 0)
        if kinds.get("reserve", 0) != 1:
            problems[f"{kinds.get('reserve', 0)} reserves"] += 1
        if captures + refunds > 1:
            problems[f"settled {captures + refunds} times (captures {captures}, refunds {refunds})"] += 1
        elif status == "completed" and captures != 1:
            problems["completed but not captured"] += 1
        elif status in ("failed", "cancelled") and refunds != 1:
            problems[f"{status} but not refunded"] += 1
    for problem, count in problems.items():
        outcome.violations.append(f"ledger: {count} generations {problem}")


def part_files(storage_dir: Path) -> list[Path]:
    return sorted(storage_dir.rglob("*.part")) if storage_dir.exists() else []


def verify(
    scenario: str,
    client: Client,
    deployment: Any,
    ids: list[str],
    fault_cleared: float,
    *,
    expect: str = "completed",
    expect_error: str | None = None,
) -> Outcome:
    """Wait (≤ RECOVERY_LIMIT_S after `fault_cleared`) for every generation to end, then check everything."""
    outcome = Outcome(scenario, len(ids))
    client.wait_status(ids, TERMINAL, max(0.0, fault_cleared + RECOVERY_LIMIT_S - time.time()))
    rows = client.rows(ids)
    stuck = {g: r for g, r in rows.items() if r["status"] not in TERMINAL}
    outcome.lost = len(stuck) + len(set(ids) - set(rows))
    if outcome.lost:
        states = Counter(f"{r['status']} (attempt {r['attempt']})" for r in stuck.values())
        outcome.violations.append(
            f"{outcome.lost} of {len(ids)} generations not terminal {RECOVERY_LIMIT_S:.0f} s after the fault"
            f" cleared: {dict(states)}"
        )
    else:
        last = max(r["completed_at"] or fault_cleared for r in rows.values())
        outcome.recovery_s = round(max(0.0, last - fault_cleared), 2)
    check_expected(outcome, rows, expect)
    if expect_error is not None:
        check_error_code(outcome, client, [g for g, r in rows.items() if r["status"] == expect], expect_error)
    twice = {g: n for g, n in client.completions(ids).items() if n > 1}
    if twice:
        outcome.violations.append(f"{len(twice)} rows became completed more than once: {twice}")
    doubled = check_run_log(outcome, deployment.run_log, rows)
    outcome.doubled = doubled | set(twice)
    outcome.duplicates = len(outcome.doubled)
    check_ledger(outcome, client, rows)
    leftovers = [path for path in part_files(deployment.storage_dir) if path not in deployment.known_parts]
    if leftovers:
        outcome.violations.append(f"{len(leftovers)} *.part files left, e.g. {leftovers[0]}")
        deployment.known_parts.update(leftovers)  # reported once, not again by every later scenario
    return outcome


def check_expected(outcome: Outcome, rows: dict[str, dict[str, Any]], expect: str) -> None:
    wrong = Counter(
        (r["status"], r["error"][:160])
        for r in rows.values()
        if r["status"] in TERMINAL and r["status"] != expect
    )
    for (status, error), count in wrong.items():
        outcome.violations.append(f"{count} generations ended {status} (expected {expect}): {error!r}")


def check_error_code(outcome: Outcome, client: Client, ids: list[str], code: str) -> None:
    """The generation as REST shows it names `code` in an error field (errorMessage, or an errorCode)."""
    missing: Counter[str] = Counter()
    for g in ids:
        body = client.http.get(f"/api/v1/generations/{g}").json()
        errors = {k: v for k, v in body.items() if "error" in k.lower()}
        if not any(code in str(v) for v in errors.values()):
            missing[json.dumps(errors)[:200]] += 1
    for fields, count in missing.items():
        outcome.violations.append(f"{count} generations do not name {code} in their error fields: {fields}")
