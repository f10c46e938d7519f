"""The progress stream as a standard EventSource sees it (npm `eventsource`, a WHATWG HTML spec client):
one event per id, `retry:` honoured, the stream ends after the terminal event, and the reconnect that
carries the terminal event's id as Last-Event-ID gets 204, which closes the EventSource for good."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from litestar import Litestar

from tests.integration.clients.node import CLIENTS, require_node_tools
from tests.integration.live.serving import served, sse_frames

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("clean_db")]
TERMINAL = {"completed", "failed", "cancelled"}


async def _eventsource(url: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        "node", "conformance/eventsource.mjs", url, "20000", cwd=CLIENTS,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def _generation(http: httpx.AsyncClient, steps: int) -> str:
    board = (await http.post("/api/v1/boards", json={"title": "SSE"})).json()
    created = await http.post(
        "/api/v1/generations",
        json={
            "boardId": board["id"],
            "generatorName": "atelier-test",
            "inputParams": {"text": "hi", "duration_seconds": 0.6, "steps": steps},
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _finished(http: httpx.AsyncClient, generation_id: str) -> None:
    status = None
    for _ in range(600):  # a shared 2-core machine can be slow; the worker is in-process
        status = (await http.get(f"/api/v1/generations/{generation_id}")).json()["status"]
        if status in ("completed", "failed"):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the generation did not finish: {status}")


async def test_a_live_stream_ends_and_the_eventsource_stops(open_app: Litestar) -> None:
    require_node_tools()
    async with served(open_app) as base, httpx.AsyncClient(base_url=base) as http:
        generation_id = await _generation(http, steps=3)
        seen = await _eventsource(f"{base}/api/sse/generations/{generation_id}/progress")
    ids = [m["id"] for m in seen["messages"]]
    assert seen["how"] == "closed", seen  # not reconnecting every 3 s forever
    assert len(ids) == len(set(ids)), f"an event id repeats: {ids}"
    assert seen["messages"][-1]["data"]["status"] in TERMINAL
    assert seen["opens"] == 1  # the reconnect after the end got 204: no second stream


async def test_a_finished_generation_gives_its_terminal_event_once(open_app: Litestar) -> None:
    require_node_tools()
    async with served(open_app) as base, httpx.AsyncClient(base_url=base) as http:
        generation_id = await _generation(http, steps=1)
        await _finished(http, generation_id)
        seen = await _eventsource(f"{base}/api/sse/generations/{generation_id}/progress")
    assert seen["how"] == "closed", seen
    assert [m["data"]["status"] for m in seen["messages"]] == ["completed"]


async def test_the_first_message_sets_retry_and_a_resume_past_the_end_is_204(open_app: Litestar) -> None:
    async with served(open_app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:
        generation_id = await _generation(http, steps=1)
        await _finished(http, generation_id)
        url = f"/api/sse/generations/{generation_id}/progress"
        async with http.stream("GET", url) as response:
            frames = [frame async for frame in sse_frames(response)]
        assert frames[0]["retry"] == "3000" and frames[0]["data"]["status"] == "completed"
        assert len(frames) == 1  # then the stream ends
        again = await http.get(url, headers={"Last-Event-ID": frames[0]["id"]})
    assert again.status_code == 204 and again.content == b""
