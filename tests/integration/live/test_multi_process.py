"""Two API processes and two worker processes on one PostgreSQL and one Redis: an SSE client of API A
follows, live and in order, a generation that a worker process runs while the other worker is busy."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from app.embedded import free_port
from tests.conftest import Servers

pytestmark = pytest.mark.usefixtures("clean_db")
START_TIMEOUT_S = 90.0  # ~8 s on an idle 2-core machine; far more when it is shared


class Process:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        with log.open("ab") as handle:  # the child keeps its own descriptor
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "app", "up", *args], env=env, stdout=handle, stderr=handle
            )

    def check(self) -> None:
        assert self.popen.poll() is None, f"{self.name} exited:\n{self.log.read_text()[-3000:]}"

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


@pytest.fixture
def cluster(servers: Servers, tmp_path: Path) -> Iterator[tuple[list[str], list[Process]]]:
    """API A, API B (no in-process worker) and workers 1 and 2 (one job at a time each)."""
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith("ATELIER_") and k != "PYTHONDONTWRITEBYTECODE"  # reuse compiled imports
        },
        "ATELIER_DATABASE_URL": servers.database_url,
        "ATELIER_REDIS_URL": servers.redis_url,
        "ATELIER_DATA_DIR": str(servers.data_dir),
        "ATELIER_QUEUE_NAME": f"multi-{uuid4().hex[:6]}",
        "ATELIER_WORKER_CONCURRENCY": "1",
        "ATELIER_ACCESS_LOG": "false",
        "ATELIER_LOG_LEVEL": "INFO",
    }
    ports = [free_port(), free_port()]
    processes = [
        Process(f"api-{n}", ["--api-only"], {**env, "ATELIER_PORT": str(port)}, tmp_path / f"api-{n}.log")
        for n, port in enumerate(ports)
    ]
    processes += [
        Process(f"worker-{n}", ["--worker-only"], env, tmp_path / f"worker-{n}.log") for n in range(2)
    ]
    try:
        _wait_ready(ports, processes)
        yield [f"http://127.0.0.1:{port}" for port in ports], processes
    finally:
        for process in processes:
            process.stop()


def _wait_ready(ports: list[int], processes: list[Process]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    pending = set(range(4))
    while pending:
        assert time.monotonic() < deadline, [processes[i].log.read_text()[-2000:] for i in pending]
        for index in list(pending):
            processes[index].check()
            if index < 2:
                try:
                    ready = httpx.get(f"http://127.0.0.1:{ports[index]}/ready", timeout=1).status_code == 200
                except httpx.TransportError:
                    ready = False
            else:
                ready = b"worker started" in processes[index].log.read_bytes()
            if ready:
                pending.discard(index)
        time.sleep(0.1)


async def _follow(base_url: str, generation_id: str) -> list[tuple[float, dict[str, Any]]]:
    """(arrival time, event) for every `data:` line of a real HTTP SSE stream, until it closes."""
    events = []
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
        http.stream("GET", f"/api/sse/generations/{generation_id}/progress") as response,
    ):
        assert response.status_code == 200
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                events.append((time.monotonic(), json.loads(line[6:])))
    return events


async def test_an_api_process_streams_what_a_worker_process_runs(
    cluster: tuple[list[str], list[Process]],
) -> None:
    (api_a, api_b), processes = cluster
    async with httpx.AsyncClient(base_url=api_b, timeout=10) as b:
        board = (await b.post("/api/v1/boards", json={"title": "Cluster"})).json()

        async def create(duration_s: float, steps: int) -> str:
            body = {
                "boardId": board["id"],
                "generatorName": "atelier-test",
                "inputParams": {"duration_seconds": duration_s, "steps": steps},
            }
            response = await b.post("/api/v1/generations", json=body)
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        busy = await create(6, 6)  # occupies one worker (concurrency 1)
        for _ in range(100):
            if (await b.get(f"/api/v1/generations/{busy}")).json()["status"] == "processing":
                break
            await asyncio.sleep(0.1)
        watched = await create(1.5, 10)  # so the other worker runs this one
        events = await asyncio.wait_for(_follow(api_a, watched), 25)  # streamed by API A
        busy_state = (await b.get(f"/api/v1/generations/{busy}")).json()["status"]
    for process in processes:
        process.check()

    statuses = [event["status"] for _, event in events]
    assert statuses[-1] == "completed", statuses
    assert "processing" in statuses and statuses.index("processing") < statuses.index("completed")
    progress = [event["progress"] for _, event in events]
    assert progress == sorted(progress) and len(set(progress)) >= 5  # live steps, in order
    arrivals = [at for at, event in events if event["status"] == "processing"]
    assert arrivals[-1] - arrivals[0] > 0.5  # delivered as they happened, not in one burst at the end
    assert busy_state == "processing"  # the other worker was still busy: a second worker ran it
