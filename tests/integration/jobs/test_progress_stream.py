"""Live progress over SSE: queued → processing → completed, in order, with the keys Boards clients read."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx


def _events(body: str) -> list[dict[str, Any]]:
    return [json.loads(line[len("data: ") :]) for line in body.splitlines() if line.startswith("data: ")]


async def test_a_client_sees_every_state_in_order(client: httpx.AsyncClient) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Live"})).json()
    body = {
        "boardId": board["id"],
        "generatorName": "atelier-test",
        "inputParams": {"duration_seconds": 0.6, "steps": 3},
    }
    created = (await client.post("/api/v1/generations", json=body)).json()
    # The ASGI test transport hands over the body when the stream closes (after the terminal event).
    response = await asyncio.wait_for(client.get(f"/api/sse/generations/{created['id']}/progress"), 15)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    statuses = [e["status"] for e in events]
    assert statuses[-1] == "completed", statuses
    assert statuses.index("processing") < statuses.index("completed")
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress)  # one scale, monotonic
    assert all(0 <= p <= 1 for p in progress)
    last = events[-1]
    keys = {
        "job_id",
        "jobId",
        "status",
        "progress",
        "phase",
        "message",
        "estimated_completion",
        "artifacts",
        "timestamp",
    }
    assert keys <= last.keys()
    assert last["jobId"] == last["job_id"] == created["id"]
    assert "id: " in response.text


async def test_a_finished_generation_streams_its_snapshot_and_closes(client: httpx.AsyncClient) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Done"})).json()
    body = {"boardId": board["id"], "generatorName": "local-text", "inputParams": {"prompt": "x"}}
    created = (await client.post("/api/v1/generations", json=body)).json()
    for _ in range(100):
        if (await client.get(f"/api/v1/generations/{created['id']}")).json()["status"] == "completed":
            break
        await asyncio.sleep(0.05)
    response = await asyncio.wait_for(client.get(f"/api/sse/generations/{created['id']}/progress"), 5)
    events = _events(response.text)
    assert [e["status"] for e in events] == ["completed"]
    assert events[0]["artifacts"][0]["url"].startswith("/api/v1/files/")


async def test_streams_check_access(client: httpx.AsyncClient) -> None:
    import uuid

    missing = await client.get(f"/api/sse/generations/{uuid.uuid4()}/progress")
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")


async def test_a_stream_ends_with_the_cancellation(client: httpx.AsyncClient) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Stop"})).json()
    body = {
        "boardId": board["id"],
        "generatorName": "atelier-test",
        "inputParams": {"duration_seconds": 20, "steps": 40},
    }
    created = (await client.post("/api/v1/generations", json=body)).json()
    stream = asyncio.create_task(client.get(f"/api/sse/generations/{created['id']}/progress"))
    for _ in range(200):  # wait until it runs (the stream is open by then)
        if (await client.get(f"/api/v1/generations/{created['id']}")).json()["status"] == "processing":
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)
    assert (await client.post(f"/api/v1/generations/{created['id']}/cancel")).json()["status"] == "cancelled"
    response = await asyncio.wait_for(stream, 5)  # the stream closes on the cancellation, not after 20 s
    events = _events(response.text)
    assert events[-1]["status"] == "cancelled"
    assert events[-1]["jobId"] == created["id"] and events[-1]["message"] == "cancelled"
