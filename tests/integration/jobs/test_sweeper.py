"""Recovery: a generation whose worker died, or whose job was never queued, is retried or failed with a
reason by the sweeper — never left pending or processing forever."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.jobs.sweeper import sweep_generations


async def _board(client: httpx.AsyncClient) -> dict[str, Any]:
    return (await client.post("/api/v1/boards", json={"title": "Recovering"})).json()  # type: ignore[no-any-return]


async def _orphan(
    engine: AsyncEngine, board: dict[str, Any], *, status: str, attempt: int, age_s: int
) -> str:
    """A row as a crashed worker (or a lost enqueue) leaves it."""
    async with engine.begin() as conn:
        row = await conn.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                " attempt, heartbeat_at, updated_at, input_params) VALUES (:t, :b, :u, 'local-image', 'image',"
                " CAST(:s AS generation_status), :a, now() - make_interval(secs => :age),"
                ' now() - make_interval(secs => :age), \'{"prompt": "recovered"}\') RETURNING id'
            ),
            {
                "t": board["tenantId"],
                "b": board["id"],
                "u": board["ownerId"],
                "s": status,
                "a": attempt,
                "age": age_s,
            },
        )
        return str(row.scalar_one())


async def _status(
    client: httpx.AsyncClient, generation_id: str, want: set[str], within_s: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        body = (await client.get(f"/api/v1/generations/{generation_id}")).json()
        if body["status"] in want or time.monotonic() > deadline:
            return body  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)


async def test_dead_workers_and_lost_jobs_are_recovered(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    board = await _board(client)
    crashed = await _orphan(engine, board, status="processing", attempt=1, age_s=120)
    lost = await _orphan(engine, board, status="pending", attempt=0, age_s=120)
    exhausted = await _orphan(engine, board, status="processing", attempt=9, age_s=120)
    fresh = await _orphan(engine, board, status="processing", attempt=1, age_s=1)

    counts = await sweep_generations(app.state.worker.context)
    assert counts["requeued"] >= 1 and counts["failed"] >= 1 and counts["queued"] >= 2

    assert (await _status(client, crashed, {"completed"}))["status"] == "completed"
    assert (await _status(client, lost, {"completed"}))["status"] == "completed"
    gave_up = await _status(client, exhausted, {"failed"})
    assert gave_up["status"] == "failed"
    assert "stopped responding" in gave_up["errorMessage"]
    assert (await _status(client, fresh, {"processing"}, within_s=0.2))[
        "status"
    ] == "processing"  # still alive
