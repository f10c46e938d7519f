"""SSE over real HTTP: Last-Event-ID resumes after the state the client already has, and the board stream
forwards every event of its board with an id."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.platform.events import board_channel, generation_channel
from tests.conftest import Servers
from tests.integration.live.serving import served, sse_frames

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
async def base_url(app: Litestar) -> AsyncIterator[str]:
    async with served(app) as url:
        yield url


@pytest.fixture
async def redis(servers: Servers) -> AsyncIterator[Redis]:
    client = Redis.from_url(servers.redis_url)
    yield client
    await client.aclose()


async def _processing_row(engine: AsyncEngine, board: dict[str, Any]) -> str:
    """A generation half done that no worker runs (not queued; its heartbeat is an hour ahead)."""
    async with engine.begin() as conn:
        row = await conn.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                " progress, heartbeat_at, started_at, input_params) VALUES (:t, :b, :u, 'atelier-test', 'text',"
                " 'processing', 0.5, now() + interval '1 hour', now(), '{}') RETURNING id"
            ),
            {"t": board["tenantId"], "b": board["id"], "u": board["ownerId"]},
        )
        return str(row.scalar_one())


def _event(gid: str, board_id: str, status: str, progress: float) -> str:
    return json.dumps({"job_id": gid, "jobId": gid, "board_id": board_id, "status": status,
                       "progress": progress, "phase": None, "message": None})  # fmt: skip


async def _publish_until(redis: Redis, channel: str, payload: str, done: asyncio.Task[Any]) -> None:
    """Publish (again) until the reader is done: it subscribes at some point after the request starts."""
    while not done.done():
        await redis.publish(channel, payload)
        await asyncio.wait([done], timeout=0.1)


async def test_last_event_id_skips_the_state_the_client_has(
    base_url: str, engine: AsyncEngine, redis: Redis
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        board = (await http.post("/api/v1/boards", json={"title": "Resume"})).json()
        gid = await _processing_row(engine, board)
        headers = {"Last-Event-ID": f"{gid}:processing:0.5000"}  # what the client saw before it dropped
        async with http.stream("GET", f"/api/sse/generations/{gid}/progress", headers=headers) as response:

            async def read() -> list[dict[str, Any]]:
                return [frame async for frame in sse_frames(response) if "data" in frame]

            reader = asyncio.create_task(read())
            await _publish_until(
                redis, generation_channel(gid), _event(gid, board["id"], "completed", 1), reader
            )
            frames = await reader
    assert [f["data"]["status"] for f in frames] == ["completed"]  # no repeat of the 0.5 snapshot
    assert frames[0]["id"] == f"{gid}:completed:1.0000"


async def test_the_board_stream_forwards_its_events(base_url: str, redis: Redis) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        board = (await http.post("/api/v1/boards", json={"title": "Feed"})).json()
        other = (await http.post("/api/v1/boards", json={"title": "Elsewhere"})).json()
        async with http.stream("GET", f"/api/sse/boards/{board['id']}/generations") as response:
            frames = sse_frames(response)
            assert (await anext(frames)).get("comment") == "subscribed"  # sent once the hub confirmed it
            await redis.publish(board_channel(other["id"]), _event("g0", other["id"], "processing", 0.1))
            await redis.publish(board_channel(board["id"]), _event("g1", board["id"], "processing", 0.25))
            frame = await asyncio.wait_for(anext(frames), 5)
    assert frame["data"]["job_id"] == "g1" and frame["id"] == "g1:processing:0.2500"
