"""Redis restarted (empty) under a running service: no generation is lost or left stuck, and a connected
SSE client still ends on the terminal state (its stream re-reads the database after the hub reconnects)."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar
from redis.asyncio import Redis

from app.embedded import EmbeddedValkey
from app.platform.events import board_channel
from app.server import create_app
from app.settings import Settings
from tests.conftest import running
from tests.integration.live.serving import served, sse_frames

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def valkey() -> Iterator[EmbeddedValkey]:
    """A Valkey of this test's own, so stopping it leaves the suite's server alone."""
    root = Path(tempfile.mkdtemp(prefix="atelier-restart-", dir="/tmp"))
    server = EmbeddedValkey(root, persistent=False)  # a restart comes back empty: queued jobs are gone
    try:
        with server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
async def restart_app(settings: Settings, valkey: EmbeddedValkey) -> AsyncIterator[Litestar]:
    app: Litestar = create_app(
        settings.model_copy(
            update={
                "redis_url": valkey.url,
                "queue_name": f"restart-{uuid4().hex[:6]}",
                "sweep_interval_seconds": 1,
                "sweep_pending_grace_seconds": 1.0,
            }
        )
    )
    async with running(app):
        yield app


@pytest.fixture
async def service(restart_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=restart_app), base_url="http://t") as http:
        yield http


async def _wait_status(http: httpx.AsyncClient, gid: str, want: set[str], within_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        body: dict[str, Any] = (await http.get(f"/api/v1/generations/{gid}")).json()
        if body["status"] in want or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.1)


async def _create(http: httpx.AsyncClient, board_id: str, duration_s: float) -> dict[str, Any]:
    body = {
        "boardId": board_id,
        "generatorName": "atelier-test",
        "inputParams": {"duration_seconds": duration_s, "steps": 20},
    }
    response = await http.post("/api/v1/generations", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_restart_mid_run_loses_nothing(service: httpx.AsyncClient, valkey: EmbeddedValkey) -> None:
    board = (await service.post("/api/v1/boards", json={"title": "Restart"})).json()
    generation = await _create(service, board["id"], duration_s=3)
    stream = asyncio.create_task(service.get(f"/api/sse/generations/{generation['id']}/progress"))
    running_now = await _wait_status(service, generation["id"], {"processing"}, within_s=10)
    assert running_now["status"] == "processing", running_now

    valkey.stop()  # mid-run: the worker's events and the SSE stream's pub/sub connection drop
    await asyncio.sleep(1.0)
    valkey.start()  # same port, empty

    response = await asyncio.wait_for(stream, 30)  # the stream ends on its own at the terminal state
    events = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]
    assert events[-1]["status"] == "completed", events
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress)  # never backwards, even across the re-read
    done = await _wait_status(service, generation["id"], {"completed", "failed"}, within_s=5)
    assert done["status"] == "completed", done


async def test_a_generation_created_while_redis_is_down_runs_when_it_is_back(
    service: httpx.AsyncClient, valkey: EmbeddedValkey
) -> None:
    board = (await service.post("/api/v1/boards", json={"title": "Outage"})).json()
    valkey.stop()
    started = time.monotonic()
    generation = await _create(service, board["id"], duration_s=0.2)  # the row commits; the enqueue fails
    assert time.monotonic() - started < 10  # the answer does not wait out Redis retries
    assert (await service.get(f"/api/v1/generations/{generation['id']}")).json()["status"] == "pending"
    await asyncio.sleep(1.5)
    valkey.start()

    done = await _wait_status(service, generation["id"], {"completed", "failed"}, within_s=30)
    assert done["status"] == "completed", done  # the sweeper queued it once Redis was back


async def test_the_board_stream_resyncs_and_resumes_after_a_restart(
    restart_app: Litestar, valkey: EmbeddedValkey
) -> None:
    redis = Redis.from_url(valkey.url)
    async with served(restart_app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=20) as http:
        board = (await http.post("/api/v1/boards", json={"title": "Feed"})).json()
        async with http.stream("GET", f"/api/sse/boards/{board['id']}/generations") as response:
            frames = sse_frames(response)
            assert (await anext(frames)).get("comment") == "subscribed"
            valkey.stop()
            await asyncio.sleep(0.5)
            valkey.start()
            resync = await asyncio.wait_for(anext(frames), 15)  # the hub reconnected and resubscribed
            assert resync.get("event") == "resync" and resync["data"] == {"reason": "reconnected"}
            event = {"job_id": "g1", "status": "processing", "progress": 0.5}
            await redis.publish(board_channel(board["id"]), json.dumps(event))
            after = await asyncio.wait_for(anext(frames), 5)
    await redis.aclose()
    assert after["data"] == event  # live again on the same stream
