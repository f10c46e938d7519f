"""The five faults of issue 13, each a function of (deployment, client) returning an `Outcome`.

Shared by the pytest modules (one scenario each) and `python -m tests.faults` (the `make faults` table).
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from collections import Counter
from typing import Any

import httpx

from tests.faults.checks import Outcome, holders, read_run_log, runs_by_generation, takeover_times, verify
from tests.faults.client import Client
from tests.faults.harness import SHUTDOWN_GRACE_S, AppProcess, Deployment
from tests.faults.timing import KillTiming, end_to_commit, kill_timing, log_size, wait_started

PG_OUTAGE_S = 10.0
VALKEY_OUTAGE_S = 3.0
EXIT_SLACK_S = 8.0  # exit within the grace plus this (hand-backs, SAQ and pool shutdown: 7 s seen)


class Skipped(Exception):
    """The machine cannot stage this fault (e.g. no tmpfs mount without root)."""


def settled(deployment: Deployment, outcome: Outcome) -> Outcome:
    deployment.quiet_since = time.time()
    return outcome


def wait_processing(client: Client, ids: list[str], notes: list[str], within: float) -> None:
    """Until every generation left `pending` (claimed by a worker), at most `within` seconds (about half a run,
    so the fault still hits them mid-run); notes how many were not processing then."""
    states = client.wait_status(ids, ("processing", "completed", "failed", "cancelled"), within)
    behind = Counter(states.get(g, "missing") for g in ids if states.get(g) != "processing")
    if behind:
        notes.append(
            f"{sum(behind.values())} of {len(ids)} were not processing when the fault hit: {dict(behind)}"
        )


def only_one_worker(deployment: Deployment) -> tuple[AppProcess, AppProcess]:
    """(victim, other) with the other worker stopped, so the runs created next are all the victim's; the
    caller restarts the other worker before the fault."""
    deployment.ensure_running()
    victim, other = deployment.workers
    other.stop()
    return victim, other


KILL_RUN_S = 4.0  # a run's length in the worker kill: the rerun is part of the ≤ 10 s recovery


def worker_kill(deployment: Deployment, client: Client, count: int = 50) -> Outcome:
    """kill -9 of a worker holding at least `count` running generations; the other worker must finish them.

    Both workers run (as in production) and take about half of 2 × `count` runs each; the one holding more
    is killed, so the live worker's recovery is what is measured (lease + sweep + the rerun). The runs are
    created in batches (queued within a fraction of a second) and the kill is timed from the run log: the
    moment every run has logged its start, so the oldest is well inside its KILL_RUN_S. A kill that still
    landed after some of the victim's runs ended is recorded (`late`) and reported with its duplicates."""
    notes: list[str] = []
    deployment.ensure_running()
    offset = log_size(deployment.run_log)
    ids = client.create_batched(2 * count, duration_seconds=KILL_RUN_S, steps=8)
    started = wait_started(deployment.run_log, offset, ids, within=KILL_RUN_S / 2)
    if len(started) < len(ids):
        notes.append(f"{len(ids) - len(started)} of {len(ids)} had not started when the worker was killed")
    held = holders(deployment.run_log, ids)
    pids = {w.pid: w for w in deployment.workers if w.pid is not None}
    victim_pid, by_victim = max(((pid, held.get(pid, 0)) for pid in pids), key=lambda pair: pair[1])
    killed_at = time.time()
    pids[victim_pid].kill()
    timing = kill_timing(deployment.run_log, ids, victim_pid, killed_at)
    outcome = verify("worker kill -9", client, deployment, ids, killed_at)
    report_kill(outcome, timing, notes)
    if by_victim < count * 0.8:  # the run log names the pids: the scenario needs a worker holding ~count runs
        outcome.violations.append(
            f"the victim held only {by_victim} runs: {dict(held)} (victim {victim_pid})"
        )
    times = takeover_times(deployment.run_log, ids, victim_pid, killed_at)
    if times is not None:
        notes.append(
            f"its runs all restarted elsewhere {times[0]:.2f} s after the kill, ended {times[1]:.2f} s"
        )
    outcome.end_to_commit = end_to_commit(deployment.run_log, client.rows(ids))
    outcome.notes += notes
    return settled(deployment, outcome)


def report_kill(outcome: Outcome, timing: KillTiming, notes: list[str]) -> None:
    """What the kill hit; a late kill (runs already ended on the victim) is named with its duplicates."""
    notes.append(timing.describe(KILL_RUN_S))
    outcome.late = len(timing.ended)
    if timing.ended:
        rerun = len(timing.ended & outcome.doubled)
        notes.append(
            f"LATE KILL: {len(timing.ended)} of the victim's runs had logged their end before the kill;"
            f" {rerun} of them ran again (killed between the generator's end and the completion commit),"
            f" of {outcome.duplicates} duplicates in this repetition"
        )


def valkey_restart(deployment: Deployment, client: Client) -> Outcome:
    """Valkey killed while generations run and others are queued; restarted EMPTY after a few seconds."""
    notes: list[str] = []
    deployment.ensure_running()
    ids = client.create(30, duration_seconds=5, steps=10)
    wait_processing(client, ids, notes, within=2.5)
    ids += client.create(10, duration_seconds=1, steps=2)  # queued (or being claimed) when Valkey dies
    deployment.valkey.kill()
    down_at = time.time()
    try:
        ids += client.create(5, duration_seconds=1, steps=2)  # created during the outage: stay pending
    except AssertionError as error:
        notes.append(f"creating during the Redis outage failed: {error}")
    time.sleep(max(0.0, down_at + VALKEY_OUTAGE_S - time.time()))
    deployment.valkey.start()
    outcome = verify("valkey restart (empty)", client, deployment, ids, time.time())
    if notes:
        outcome.violations += notes
    return settled(deployment, outcome)


def postgres_outage(deployment: Deployment, client: Client) -> Outcome:
    """PostgreSQL stopped immediately for PG_OUTAGE_S mid-run; the API answers 503 meanwhile."""
    notes: list[str] = []
    deployment.ensure_running()
    ids = client.create(20, duration_seconds=6, steps=12)
    wait_processing(client, ids, notes, within=3.0)
    deployment.postgres.stop_immediately()
    down_at = time.time()
    time.sleep(1.0)  # let the pools notice
    problems = probe_unavailable(client.http, ids[0], client.board_id or "")
    time.sleep(max(0.0, down_at + PG_OUTAGE_S - time.time()))
    deployment.postgres.start()
    outcome = verify("postgres down 10 s", client, deployment, ids, time.time())
    outcome.violations += problems
    outcome.notes += notes
    return settled(deployment, outcome)


def probe_unavailable(http: httpx.Client, generation_id: str, board_id: str) -> list[str]:
    """During a database outage: REST answers 503 + Retry-After + problem+json; GraphQL SERVICE_UNAVAILABLE."""
    problems = []
    body = {"boardId": board_id, "generatorName": "atelier-test", "inputParams": {}}
    for what, response in (
        ("GET generation", http.get(f"/api/v1/generations/{generation_id}")),
        ("POST generation", http.post("/api/v1/generations", json=body)),
    ):
        kind = response.headers.get("content-type", "")
        if response.status_code != 503 or "retry-after" not in response.headers or "problem+json" not in kind:
            problems.append(
                f"{what} during the outage: {response.status_code}, Retry-After "
                f"{response.headers.get('retry-after')!r}, content-type {kind!r}: {response.text[:120]!r}"
            )
    query = {
        "query": "query($id: UUID!) { generation(id: $id) { id status } }",
        "variables": {"id": generation_id},
    }
    response = http.post("/graphql", json=query)
    codes = graphql_codes(response)
    if "SERVICE_UNAVAILABLE" not in codes:
        problems.append(
            f"GraphQL during the outage: {response.status_code}, codes {codes}: {response.text[:160]!r}"
        )
    return problems


def graphql_codes(response: httpx.Response) -> list[Any]:
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return []
    return [(error.get("extensions") or {}).get("code") for error in errors]


def worker_sigterm(deployment: Deployment, client: Client) -> Outcome:
    """SIGTERM to a worker running long and short jobs: short ones finish there within the grace, long ones
    are handed back and finish on the other worker, and the process exits within grace + a few seconds."""
    notes: list[str] = []
    victim, other = only_one_worker(deployment)
    long_ids = client.create(
        5, duration_seconds=20, steps=40
    )  # still running after the grace, under load too
    wait_processing(client, long_ids, notes, within=3.0)
    deployment.restart_worker(other)  # back, to take the hand-backs; the victim holds every run
    short_ids = client.create(5, duration_seconds=1.5, steps=3)  # well inside the 3 s grace
    wait_processing(client, short_ids, notes, within=1.0)
    victim_pid, other_pid = victim.pid, other.pid
    signalled_at = time.time()
    victim.terminate()
    exited = victim.wait_exit(SHUTDOWN_GRACE_S + EXIT_SLACK_S)
    problems = []
    if exited is None:
        problems.append(f"the worker still ran {SHUTDOWN_GRACE_S + EXIT_SLACK_S:.0f} s after SIGTERM")
        victim.kill()
    elif exited < SHUTDOWN_GRACE_S - 0.5:  # the long runs could not have finished: it did not wait
        problems.append(
            f"the worker exited {exited:.1f} s after SIGTERM, before its {SHUTDOWN_GRACE_S:.0f} s grace"
        )
    else:
        notes.append(f"the worker exited {exited:.1f} s after SIGTERM")
    outcome = verify("worker SIGTERM", client, deployment, long_ids + short_ids, signalled_at)
    restarted = [g for g, r in client.rows(short_ids).items() if r["attempt"] != 1]
    if restarted:
        problems.append(f"{len(restarted)} of {len(short_ids)} short runs were claimed again (attempt > 1)")
    problems += check_drain(deployment, short_ids, long_ids, victim_pid, other_pid)
    outcome.violations += problems
    outcome.notes += notes
    return settled(deployment, outcome)


def check_drain(
    deployment: Deployment, short_ids: list[str], long_ids: list[str], victim: int | None, other: int | None
) -> list[str]:
    """From the run log: short runs ran once (those the victim had finished there within the grace); long
    runs, all the victim's, ended once, on the other worker."""
    runs = runs_by_generation(read_run_log(deployment.run_log), short_ids + long_ids)
    problems = []
    for g in short_ids:
        starts = [e for evs in runs.get(g, {}).values() for e in evs if e["e"] == "start"]
        pids = {e.get("pid") for e in starts}
        if len(starts) != 1:
            problems.append(f"short {g}: {len(starts)} starts on pids {pids} (expected 1)")
    for g in long_ids:
        ends = [e for evs in runs.get(g, {}).values() for e in evs if e["e"] == "end"]
        if [e.get("pid") for e in ends] != [other]:
            started_by = [
                (e.get("pid"), e.get("a"))
                for evs in runs.get(g, {}).values()
                for e in evs
                if e["e"] == "start"
            ]
            problems.append(
                f"long {g}: ended on {[e.get('pid') for e in ends]} (expected once on {other}; victim {victim};"
                f" started (pid, attempt) {started_by})"
            )
    return problems


def storage_full(deployment: Deployment, client: Client) -> Outcome:
    """A full filesystem (a 2 MiB tmpfs, filled) as the storage dir: generations fail STORAGE_FULL, no *.part."""
    deployment.ensure_running()
    mount_full_tmpfs(deployment)
    try:
        ids = client.create(5, duration_seconds=0.5, steps=2)
        outcome = verify(
            "storage full", client, deployment, ids, time.time(), expect="failed", expect_error="STORAGE_FULL"
        )
    finally:
        subprocess.run(["umount", "-l", str(deployment.storage_dir)], check=False)
    return settled(deployment, outcome)


def mount_full_tmpfs(deployment: Deployment) -> None:
    if os.geteuid() != 0:
        raise Skipped("storage full needs root to mount a small tmpfs as the storage dir")
    deployment.storage_dir.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(deployment.storage_dir)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        raise Skipped(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    chunk = b"\0" * 65536
    with (deployment.storage_dir / "filler").open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(chunk)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    try:  # the last partial page too
        with (deployment.storage_dir / "filler-tail").open("wb", buffering=0) as fh:
            while True:
                fh.write(b"\0")
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise


SCENARIOS = {
    "worker kill -9": worker_kill,
    "valkey restart (empty)": valkey_restart,
    "postgres down 10 s": postgres_outage,
    "worker SIGTERM": worker_sigterm,
    "storage full": storage_full,
}
