"""Serve a running app over real HTTP on loopback (uvicorn in the test's loop), for streams a test reads
as they come: httpx's ASGI transport hands a response over only once it has ended."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from litestar import Litestar

from app.embedded import free_port


@asynccontextmanager
async def served(app: Litestar) -> AsyncIterator[str]:
    """The app's base URL while served (its lifespan is the caller's: uvicorn runs with lifespan off)."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), task.exception()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


async def sse_frames(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """SSE frames as {"event", "id", "data", "comment"} (data decoded from JSON when it is JSON)."""
    frame: dict[str, Any] = {}
    async for line in response.aiter_lines():
        if not line:
            if frame:
                yield frame
            frame = {}
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            try:
                frame["data"] = json.loads(value)
            except ValueError:
                frame["data"] = value
        else:
            frame[field or "comment"] = value
