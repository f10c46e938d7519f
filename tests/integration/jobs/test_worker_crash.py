"""kill -9 of a worker mid-job: the generation is retried by another worker and completes — never stuck."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.server import create_app
from app.settings import Settings
from tests.conftest import Servers, running
from tests.worker_process import start_worker

pytestmark = pytest.mark.usefixtures("clean_db")


def _start_worker(servers: Servers, queue: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ATELIER_DATABASE_URL": servers.database_url,
        "ATELIER_REDIS_URL": servers.redis_url,
        "ATELIER_DATA_DIR": str(servers.data_dir),
        "ATELIER_QUEUE_NAME": queue,
        "ATELIER_LEASE_SECONDS": "2",
        "ATELIER_WORKER_SHUTDOWN_GRACE_SECONDS": "1",  # stopping at the end must not wait out a 30 s drain
        "ATELIER_SWEEP_INTERVAL_SECONDS": "1",
        "ATELIER_LOG_LEVEL": "INFO",
    }
    return start_worker(env, log)


async def _status(
    http: httpx.AsyncClient, generation_id: str, want: set[str], within_s: float
) -> dict[str, object]:
    deadline = time.monotonic() + within_s
    while True:
        body = (await http.get(f"/api/v1/generations/{generation_id}")).json()
        if body["status"] in want and (body["status"] != "processing" or body["progress"] > 0):
            return body  # type: ignore[no-any-return]
        if time.monotonic() > deadline:
            return body  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)


async def test_a_killed_worker_is_replaced_and_the_generation_completes(
    servers: Servers, settings: Settings, engine: AsyncEngine, tmp_path: Path
) -> None:
    queue = f"crash-{uuid4().hex[:6]}"
    api_settings = settings.model_copy(
        update={"worker_in_process": False, "queue_name": queue, "lease_seconds": 2.0}
    )
    first = _start_worker(servers, queue, tmp_path / "worker-a.log")
    second = None
    try:
        app = create_app(api_settings)
        async with (
            running(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
        ):
            board = (await http.post("/api/v1/boards", json={"title": "Crash"})).json()
            body = {
                "boardId": board["id"],
                "generatorName": "atelier-test",
                "inputParams": {"duration_seconds": 4, "steps": 40},
            }
            generation = (await http.post("/api/v1/generations", json=body)).json()
            running_now = await _status(http, generation["id"], {"processing"}, within_s=20)
            assert running_now["status"] == "processing", running_now

            os.kill(first.pid, signal.SIGKILL)  # mid-job, no goodbye
            first.wait(timeout=10)
            second = _start_worker(servers, queue, tmp_path / "worker-b.log")

            killed_at = time.monotonic()
            done = await _status(http, generation["id"], {"completed", "failed"}, within_s=40)
            recovered_s = time.monotonic() - killed_at
        assert done["status"] == "completed", done
        # lease (2 s) + sweep (1 s) + a fresh worker's start-up + the 4 s run: seconds, not SAQ's minutes
        assert recovered_s < 30, recovered_s
        async with engine.connect() as conn:
            attempt = (
                await conn.execute(
                    text("SELECT attempt FROM generations WHERE id = :g"), {"g": generation["id"]}
                )
            ).scalar()
        assert attempt is not None and attempt >= 2  # it really ran again
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(timeout=10)
