"""The live rows of `make bench`: jobs through one worker process, and progress over SSE.

- `live: no-op generations/s` (one worker process) and `…, 2 workers` (two): N `atelier-test` generations
  (zero duration, one step: claim, one progress report, a stored artifact, complete; every state change
  committed and published) are queued while no worker runs; then the worker processes (`python -m app up
  --worker-only`, concurrency 10 each) start and drain them. Rate = N / (last completed_at − first
  started_at), from the database. Worker CPU per job = the processes' utime + stime (/proc) from the moment
  each holds its presence lock (start-up done) until the last job completed, ÷ N.
- `live: create→completed latency`: REST `POST /api/v1/generations` at a steady 10/s for BENCH_SECONDS
  with that worker running; latency = completed_at − created_at of each row (database clock).
- `live: SSE delivery latency`: BENCH_SSE_SUBSCRIBERS (default 1,000) real HTTP SSE streams of one
  generation, opened by a separate client process (bench.sse_clients), which then publishes BENCH_SSE_RATE (default 4) events/s;
  latency = receive time − publish time, per event and subscriber.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from saq import Queue

from app.db.stores.lifecycle import LIVENESS_LOCK_CLASS
from app.queue.dispatcher import enqueue_generation
from bench import fanout

ROOT = Path(__file__).resolve().parents[1]
NAMES = (
    "live: no-op generations/s",
    "live: create→completed latency",
    "live: SSE delivery latency",
    "live: no-op generations/s, 2 workers",
)
WORKERS = {NAMES[0]: 1, NAMES[3]: 2}
NOOP_INPUT = {"duration_seconds": 0, "steps": 1}
CREATE_RATE = 10.0
# The most one generation publishes: progress is coalesced to one event per ATELIER_PROGRESS_INTERVAL_SECONDS
# (0.25 s), so the row's one channel carries 4 events/s, each to every stream (BENCH_SSE_RATE overrides).
SSE_EVENT_RATE = 4.0
QUEUE = "atelier"


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all threads), as bench.server reads the API's."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def selected(filters: tuple[str, ...]) -> list[str]:
    return [name for name in NAMES if not filters or any(f in name.lower() for f in filters)]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    worker_env = {**env, "ATELIER_LOG_LEVEL": "INFO", "ATELIER_QUEUE_NAME": QUEUE}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "up", "--worker-only"], cwd=ROOT, env=worker_env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        )  # fmt: skip
    deadline = time.monotonic() + 90
    while b"worker started" not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"the worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
    return process


async def _present(dsn: str) -> int:
    """Worker processes holding their presence lock (app.jobs.presence): their start-up is done."""
    rows = await _fetch(
        dsn, "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2",
        LIVENESS_LOCK_CLASS,
    )  # fmt: skip
    return int(rows[0]["n"])


def noop_rate(
    workers: int, count: int, *, env: dict[str, str], dsn: str, redis_url: str, board_id: str, scratch: Path
) -> tuple[dict[str, Any], list[subprocess.Popen[bytes]]]:
    """Queue `count` no-op generations, start `workers` worker processes, measure; returns them running."""
    ids = asyncio.run(queue_noops(dsn, redis_url, board_id, count))
    present = asyncio.run(_present(dsn))
    processes = [start_worker(env, scratch / f"worker-{workers}-{n}.log") for n in range(workers)]
    deadline = time.monotonic() + 60
    while asyncio.run(_present(dsn)) < present + workers and time.monotonic() < deadline:
        time.sleep(0.05)
    before = [cpu_seconds(p.pid) for p in processes]
    result = asyncio.run(throughput(dsn, ids))
    spent = sum(cpu_seconds(p.pid) - b for p, b in zip(processes, before, strict=True))
    result.update(cpu_ms=spent * 1000 / count, workers=workers)
    return result, processes


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


async def _insert(dsn: str, board_id: str, count: int, status: str = "pending") -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
            " lease_owner, lease_expires_at, input_params) SELECT b.tenant_id, b.id, b.owner_id, 'atelier-test',"
            " 'text', CAST($2 AS generation_status), CASE WHEN $2 = 'processing' THEN 'bench' END,"
            " CASE WHEN $2 = 'processing' THEN now() + interval '1 hour' END, $3::jsonb"
            " FROM boards b, generate_series(1, $4) WHERE b.id = $1::uuid RETURNING id, tenant_id",
            board_id, status, json.dumps(NOOP_INPUT), count,
        )  # fmt: skip
        return [f"{row['id']}/{row['tenant_id']}" for row in rows]
    finally:
        await conn.close()


async def _fetch(dsn: str, sql: str, *args: Any) -> list[Any]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _wait_done(dsn: str, ids: list[str], timeout_s: float) -> int:
    deadline = time.monotonic() + timeout_s
    while True:
        rows = await _fetch(
            dsn, "SELECT count(*) AS n FROM generations WHERE id = ANY($1::uuid[]) AND completed_at IS NOT NULL",
            ids,
        )  # fmt: skip
        done = int(rows[0]["n"])
        if done == len(ids) or time.monotonic() > deadline:
            return done
        await asyncio.sleep(0.25)


async def queue_noops(dsn: str, redis_url: str, board_id: str, count: int) -> list[str]:
    """Pending rows and their jobs, queued before any worker runs."""
    pairs = await _insert(dsn, board_id, count)
    queue = Queue.from_url(redis_url, name=QUEUE)
    await queue.connect()
    try:
        for pair in pairs:
            generation_id, tenant_id = pair.split("/")
            await enqueue_generation(queue, generation_id, tenant_id)  # type: ignore[arg-type]
    finally:
        await queue.disconnect()
    return [pair.split("/")[0] for pair in pairs]


async def throughput(dsn: str, ids: list[str]) -> dict[str, Any]:
    done = await _wait_done(dsn, ids, timeout_s=max(60.0, len(ids) / 5))
    rows = await _fetch(
        dsn, "SELECT extract(epoch FROM max(completed_at) - min(started_at)) AS s,"
        " count(*) FILTER (WHERE status = 'completed') AS ok FROM generations WHERE id = ANY($1::uuid[])", ids,
    )  # fmt: skip
    seconds = float(rows[0]["s"] or 0)
    return {"jobs": len(ids), "done": done, "completed": int(rows[0]["ok"]), "seconds": seconds,
            "rate": done / seconds if seconds else float("nan")}  # fmt: skip


async def create_latency(
    dsn: str, base_url: str, token: str, board_id: str, seconds: float
) -> dict[str, Any]:
    body = {"boardId": board_id, "generatorName": "atelier-test", "inputParams": NOOP_INPUT}
    count = max(20, int(seconds * CREATE_RATE))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as http:

        async def create(delay: float) -> str:
            await asyncio.sleep(delay)  # open loop: a steady rate, whatever the answers take
            response = await http.post("/api/v1/generations", json=body)
            response.raise_for_status()
            return str(response.json()["id"])

        ids = await asyncio.gather(*(create(n / CREATE_RATE) for n in range(count)))
    done = await _wait_done(dsn, ids, timeout_s=60)
    rows = await _fetch(
        dsn, "SELECT extract(epoch FROM completed_at - created_at) AS s,"
        " extract(epoch FROM started_at - created_at) AS wait FROM generations"
        " WHERE id = ANY($1::uuid[]) AND completed_at IS NOT NULL", ids,
    )  # fmt: skip
    latencies = [float(row["s"]) for row in rows]
    waits = [float(row["wait"]) for row in rows]
    return {"count": count, "done": done, "p50": _pct(latencies, 0.5), "p99": _pct(latencies, 0.99),
            "wait_p50": _pct(waits, 0.5), "min": _pct(latencies, 0.0)}  # fmt: skip


def sse_rate(subscribers: int) -> float:
    """Events per second on the one channel the row's streams follow (BENCH_SSE_RATE overrides)."""
    return float(os.environ.get("BENCH_SSE_RATE") or SSE_EVENT_RATE)


def sse_latency(
    dsn: str,
    *,
    redis_url: str,
    base_url: str,
    token: str,
    board_id: str,
    subscribers: int,
    seconds: float,
    api_pid: int,
) -> dict[str, Any]:
    """A processing row no worker runs (its lease lasts an hour), followed by `subscribers` clients."""
    generation_id, _ = asyncio.run(_insert(dsn, board_id, 1, status="processing"))[0].split("/")
    rate = sse_rate(subscribers)
    events = max(10, int(seconds * rate))
    event: dict[str, Any] = {"job_id": generation_id, "jobId": generation_id, "board_id": board_id, "status": "processing",
             "phase": "processing", "message": None, "estimated_completion": None, "artifacts": [],
             "error": None, "timestamp": ""}  # fmt: skip
    spec = {"base_url": base_url, "token": token, "generation_id": generation_id,
            "events": events, "rate": rate, "event": event}  # fmt: skip
    result = fanout.measure(spec, subscribers=subscribers, redis_url=redis_url, api_pid=api_pid)
    latencies = result.pop("latencies")
    return {**result, "received": len(latencies), "events": events, "rate": rate,
            "p50": _pct(latencies, 0.5), "p99": _pct(latencies, 0.99)}  # fmt: skip


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| live row | result | p50 ms | p99 ms | note |", "|---|---:|---:|---:|---|"]
    for name in (NAMES[0], NAMES[3]):
        if (r := results.get(name)) is not None:
            lines.append(f"| {name} | {r['rate']:.0f}/s | | | {r['done']}/{r['jobs']} done ({r['completed']} "
                         f"completed) in {r['seconds']:.2f} s; {r['workers']} worker process(es), concurrency 10 "
                         f"each; worker CPU {r['cpu_ms']:.2f} ms/job (target ≤ 3; ≥ 300/s per process) |")  # fmt: skip
    if (r := results.get(NAMES[1])) is not None:
        lines.append(f"| {NAMES[1]} | {r['done']}/{r['count']} | {r['p50']:.1f} | {r['p99']:.1f} | "
                     f"REST POST at {CREATE_RATE:g}/s; created_at → completed_at (DB clock); min {r['min']:.1f} ms, "
                     f"queue wait (created_at → started_at) p50 {r['wait_p50']:.1f} ms |")  # fmt: skip
    if (r := results.get(NAMES[2])) is not None:
        lines.append(f"| {NAMES[2]} | {r['received']}/{r['expected']} | {r['p50']:.1f} | {r['p99']:.1f} | "
                     f"{r['events']} events at {r['rate']:g}/s to {r['expected'] // r['events']} SSE clients "
                     f"(opened in {r['connect_s']:.1f} s by {r['client_processes']} client processes); API CPU "
                     f"{r['api_cpu_ms']:.0f} ms per 1,000 deliveries ({r['api_system_ms']:.0f} ms in the kernel); "
                     f"API RSS {r['rss_mb']:.0f} MB, "
                     f"{r['rss_per_subscriber_kb']:.1f} KB per idle subscriber; "
                     f"pub/sub connections on Redis: {r['hub_connections']} |")  # fmt: skip
    return "\n".join(lines)


async def _reset_queue(dsn: str, redis_url: str) -> None:
    """The read/write rows left thousands of queued `local-image` jobs (no worker ran): drop them, so the
    worker measured here runs only this module's jobs (their rows are cancelled, so nothing re-queues them)."""
    await _fetch(dsn, "UPDATE generations SET status = 'cancelled' WHERE status IN ('pending', 'processing')")
    queue = Queue.from_url(redis_url, name=QUEUE)
    await queue.connect()
    try:
        await queue.redis.flushdb()  # type: ignore[attr-defined]
    finally:
        await queue.disconnect()


def run_live(
    filters: tuple[str, ...], seconds: float, *, env: dict[str, str], dsn: str, redis_url: str,
    base_url: str, api_pid: int, token: str, board_id: str, scratch: Path, say: Any,
) -> str | None:  # fmt: skip
    """The live rows that BENCH_ROWS selects, as a Markdown table (None when none is selected)."""
    names = selected(filters)
    if not names:
        return None
    results: dict[str, dict[str, Any]] = {}
    subscribers = int(os.environ.get("BENCH_SSE_SUBSCRIBERS") or 1000)
    asyncio.run(_reset_queue(dsn, redis_url))
    worker = None
    try:
        for name in (NAMES[3], NAMES[0]):  # the one-worker row last: its worker serves the latency row
            if name in names:
                if worker is not None:
                    stop(worker)  # no worker runs while the next row's jobs are queued
                count = max(200, int(50 * seconds)) * WORKERS[name]
                say(f"{name}: queueing {count} jobs, then starting {WORKERS[name]} worker process(es)")
                results[name], processes = noop_rate(
                    WORKERS[name], count, env=env, dsn=dsn, redis_url=redis_url, board_id=board_id, scratch=scratch
                )  # fmt: skip
                for process in processes[1:]:
                    stop(process)
                worker = processes[0]
        if NAMES[1] in names:
            worker = worker or start_worker(env, scratch / "worker.log")
            say(f"{NAMES[1]}: {seconds:g} s of creates at {CREATE_RATE:g}/s")
            results[NAMES[1]] = asyncio.run(create_latency(dsn, base_url, token, board_id, seconds))
    finally:
        if worker is not None:
            stop(worker)
    if NAMES[2] in names:
        say(f"{NAMES[2]}: {subscribers} SSE clients, {seconds:g} s of events")
        results[NAMES[2]] = sse_latency(
            dsn, redis_url=redis_url, base_url=base_url, token=token, board_id=board_id,
            subscribers=subscribers, seconds=seconds, api_pid=api_pid,
        )  # fmt: skip
    return table(results)
