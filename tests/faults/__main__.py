"""`make faults`: every fault scenario once on a fresh deployment, the worker kill FAULTS_KILL_REPEATS times
(default 20), then one table: scenario | generations | recovery seconds | duplicates | lost.

Exits 1 when any scenario broke an invariant (the violations are printed under the table).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from tests.faults.checks import Outcome
from tests.faults.client import Client
from tests.faults.harness import Deployment
from tests.faults.scenarios import SCENARIOS, Skipped, worker_kill
from tests.faults.timing import describe_gaps


def run_all(deployment: Deployment, client: Client, repeats: int) -> list[tuple[str, Outcome | str]]:
    rows: list[tuple[str, Outcome | str]] = []
    for name, scenario in SCENARIOS.items():
        if name == "worker kill -9":
            continue
        started = time.monotonic()
        try:
            rows.append((name, scenario(deployment, client)))
        except Skipped as skipped:
            rows.append((name, f"skipped: {skipped}"))
        print(f"{name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    kills = []
    for repetition in range(1, repeats + 1):
        kills.append(worker_kill(deployment, client))
        print(f"worker kill -9 #{repetition}: recovery {kills[-1].recovery_s} s", file=sys.stderr, flush=True)
    if kills:
        rows.insert(0, (f"worker kill -9 (×{len(kills)})", merge(kills)))
    return rows


def merge(outcomes: list[Outcome]) -> Outcome:
    """The repetitions as one row: summed counts, the worst recovery (median in a note), every violation."""
    merged = Outcome(outcomes[0].scenario, sum(o.generations for o in outcomes))
    merged.duplicates = sum(o.duplicates for o in outcomes)
    merged.lost = sum(o.lost for o in outcomes)
    merged.late = sum(o.late for o in outcomes)
    merged.end_to_commit = [gap for o in outcomes for gap in o.end_to_commit]
    recoveries = [o.recovery_s for o in outcomes if o.recovery_s is not None]
    if len(recoveries) == len(outcomes):
        merged.recovery_s = max(recoveries)
    if recoveries:
        merged.notes.append(
            f"recovery median {statistics.median(recoveries):.2f} s, max {max(recoveries):.2f} s"
            f" over {len(recoveries)} of {len(outcomes)} repetitions"
        )
    late = [(n, o.late, len(o.doubled)) for n, o in enumerate(outcomes, 1) if o.late]
    merged.notes.append(
        f"late kills (victim runs already ended at the kill): {len(late)} of {len(outcomes)} repetitions"
        + "".join(f"; #{n}: {ended} ended, {dup} duplicates" for n, ended, dup in late)
    )
    if merged.end_to_commit:
        merged.notes.append(describe_gaps(merged.end_to_commit))
    for number, outcome in enumerate(outcomes, 1):
        merged.violations += [f"#{number}: {v}" for v in outcome.violations]
        merged.notes += [f"#{number}: {n}" for n in outcome.notes]
    return merged


def table(rows: list[tuple[str, Outcome | str]]) -> str:
    lines = [
        "| scenario | generations | recovery s (fault cleared → last terminal) | duplicates | lost |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in rows:
        if isinstance(row, str):
            lines.append(f"| {name} | – | {row} | – | – |")
            continue
        recovery = f"{row.recovery_s:.2f}" if row.recovery_s is not None else "> 60 (not all terminal)"
        lines.append(f"| {name} | {row.generations} | {recovery} | {row.duplicates} | {row.lost} |")
    return "\n".join(lines)


def details(rows: list[tuple[str, Outcome | str]]) -> str:
    out = []
    for name, row in rows:
        if isinstance(row, Outcome) and (row.violations or row.notes):
            out.append(f"\n{name}:")
            out += [f"  note: {n}" for n in row.notes]
            out += [f"  VIOLATION: {v}" for v in row.violations]
    return "\n".join(out)


def main() -> int:
    repeats = int(os.environ.get("FAULTS_KILL_REPEATS", "20"))
    started = time.monotonic()
    with Deployment() as deployment:
        client = Client(deployment.base_url, deployment.database_dsn)
        try:
            rows = run_all(deployment, client, repeats)
        finally:
            client.close()
    print(table(rows))
    print(details(rows))
    print(f"\nwall time {time.monotonic() - started:.0f} s")
    return 1 if any(isinstance(row, Outcome) and row.violations for _, row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
