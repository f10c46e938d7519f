"""The SSE fan-out row: N real-HTTP streams of one generation on ONE API process, events published to Redis.

Client processes (`bench.sse_clients`, about CLIENTS_PER_PROCESS streams each, so 10,000 streams use five
and the clients are not what is measured) open their streams and report `ready`; then this process reads
the API's RSS (memory per idle subscriber = growth since before the first stream ÷ N), counts the API's
pub/sub connections on Redis (1 expected), and publishes `events` events at `rate` per second, each with
its wall-clock publish time. Latency = receive − publish per event and stream; API CPU is read around the
publishing and reading, per 1,000 deliveries.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from app.platform.pubsub import CLIENT_NAME

ROOT = Path(__file__).resolve().parents[1]
CLIENTS_PER_PROCESS = 2000
READY_TIMEOUT_S = 600.0


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of the process: system is mostly the socket writes, which on loopback
    also carry the receiving side's TCP work (on a network that lands on the clients' machines)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


def _start_clients(spec: dict[str, Any], subscribers: int) -> list[subprocess.Popen[bytes]]:
    count = max(1, math.ceil(subscribers / CLIENTS_PER_PROCESS))
    shares = [subscribers // count + (n < subscribers % count) for n in range(count)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    clients = []
    for share in shares:
        command = [sys.executable, "-m", "bench.sse_clients", json.dumps({**spec, "subscribers": share})]
        pipes = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        clients.append(subprocess.Popen(command, cwd=ROOT, env=env, **pipes))  # type: ignore[call-overload]
    return clients


def _wait_ready(clients: list[subprocess.Popen[bytes]]) -> None:
    for client in clients:
        assert client.stdout is not None
        line = client.stdout.readline()  # blocks until that process opened all its streams (or died)
        if line.strip() != b"ready":
            _stop(clients)
            _, err = client.communicate(timeout=30)
            raise RuntimeError(f"an SSE client process failed: {err.decode(errors='replace')[-2000:]}")


def _stop(clients: list[subprocess.Popen[bytes]]) -> None:
    for client in clients:
        if client.poll() is None:
            client.kill()
            client.wait(timeout=10)


async def _publish(redis_url: str, spec: dict[str, Any]) -> int:
    """Publishes the events; returns the API's pub/sub connections seen on Redis."""
    redis = Redis.from_url(redis_url)
    try:
        hubs = sum(1 for c in await redis.client_list() if c.get("name") == CLIENT_NAME)
        channel, base = f"atelier:generation:{spec['generation_id']}", spec["event"]
        for n in range(spec["events"]):
            event = {**base, "progress": round((n + 1) / (spec["events"] + 1), 4), "sent": time.time()}
            await redis.publish(channel, json.dumps(event))
            await asyncio.sleep(1 / spec["rate"])
        return hubs
    finally:
        await redis.aclose()


def measure(spec: dict[str, Any], *, subscribers: int, redis_url: str, api_pid: int) -> dict[str, Any]:
    """Open `subscribers` streams in client processes, publish, collect latencies (µs) and API costs."""
    rss_before = rss_bytes(api_pid)
    started = time.monotonic()
    clients = _start_clients(spec, subscribers)
    try:
        _wait_ready(clients)
        connect_s = time.monotonic() - started
        time.sleep(1.0)  # the last snapshots' sessions are released
        rss_idle = rss_bytes(api_pid)
        user, system = _cpu_seconds(api_pid)
        hubs = asyncio.run(_publish(redis_url, spec))
        latencies: list[int] = []
        for client in clients:
            out, err = client.communicate(timeout=spec["events"] / spec["rate"] + 120)
            if client.returncode != 0:
                raise RuntimeError(f"an SSE client process failed: {err.decode(errors='replace')[-2000:]}")
            try:
                latencies += json.loads(out.splitlines()[-1])["latencies_us"]
            except (ValueError, IndexError) as error:  # seen once at 10,000 streams: a cut-off line
                raise RuntimeError(
                    f"an SSE client process printed no complete result ({len(out)} bytes, code "
                    f"{client.returncode}): {err.decode(errors='replace')[-2000:]}"
                ) from error
        user_after, system_after = _cpu_seconds(api_pid)
        user, system = user_after - user, system_after - system
    finally:
        _stop(clients)
    return {
        "connect_s": connect_s,
        "client_processes": len(clients),
        "hub_connections": hubs,
        "api_cpu_ms": (user + system) * 1000 / max(1, len(latencies)) * 1000,
        "api_system_ms": system * 1000 / max(1, len(latencies)) * 1000,
        "rss_per_subscriber_kb": (rss_idle - rss_before) / 1024 / subscribers,
        "rss_mb": rss_idle / 2**20,
        "latencies": [us / 1_000_000 for us in latencies],
        "expected": spec["events"] * subscribers,
    }
