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
    engine: AsyncEngine, board: dict[str, Any], *, status: str, failures: int, age_s: int
) -> str:
    """A row as a crashed worker (its lease lapsed age_s ago; negative: still valid) or a lost enqueue leaves it."""
    processing = status == "processing"
    async with engine.begin() as conn:
        row = await conn.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                " attempt, failures, lease_owner, lease_expires_at, updated_at, input_params) VALUES (:t, :b, :u,"
                " 'local-image', 'image', CAST(:s AS generation_status), :f + 1, :f, :owner,"
                " CASE WHEN :p THEN now() - make_interval(secs => :age) END,"
                ' now() - make_interval(secs => abs(:age)), \'{"prompt": "recovered"}\') RETURNING id'
            ),
            {
                "t": board["tenantId"],
                "b": board["id"],
                "u": board["ownerId"],
                "s": status,
                "f": failures,
                "owner": "dead-host:1:abc" if processing else None,
                "p": processing,
                "age": age_s,
            },
        )
        return str(row.scalar_one())


async def _database_up_longer_than(engine: AsyncEngine, seconds: float) -> None:
    async with engine.connect() as conn:
        uptime = (
            await conn.execute(text("SELECT extract(epoch FROM now() - pg_postmaster_start_time())"))
        ).scalar_one()
    await asyncio.sleep(max(0.0, seconds - float(uptime) + 0.2))


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
    crashed = await _orphan(engine, board, status="processing", failures=0, age_s=120)
    lost = await _orphan(engine, board, status="pending", failures=0, age_s=120)
    exhausted = await _orphan(engine, board, status="processing", failures=2, age_s=120)
    fresh = await _orphan(engine, board, status="processing", failures=0, age_s=-60)  # lease still valid

    runtime = app.state.worker.context["atelier"]
    await _database_up_longer_than(engine, runtime.lease_s)  # right after a restart no lease is taken over
    counts = await sweep_generations(runtime)
    # the worker's own sweeper timer may have taken some of them first: together they did all
    assert counts["requeued"] + counts["failed"] + counts["queued"] >= 1

    assert (await _status(client, crashed, {"completed"}))["status"] == "completed"
    assert (await _status(client, lost, {"completed"}))["status"] == "completed"
    gave_up = await _status(client, exhausted, {"failed"})
    assert gave_up["status"] == "failed"
    assert "stopped responding" in gave_up["errorMessage"]
    assert gave_up["errorCode"] == "WORKER_LOST"
    assert (await _status(client, fresh, {"processing"}, within_s=0.2))[
        "status"
    ] == "processing"  # still alive


async def test_a_job_lost_before_its_claim_does_not_block_the_next_one(servers: Any) -> None:
    """A worker dies between taking a job and claiming the row: the job stays ACTIVE in Redis under the row's
    key. The sweeper finishes it and queues the attempt again instead of waiting for SAQ's hour-long timeout."""
    from uuid import uuid4

    from saq import Queue
    from saq.job import Status

    from app.db.stores.sweeper import Stale as Row
    from app.jobs.sweeper import ORPHANED_JOB_S, queue_again
    from app.queue.dispatcher import enqueue_generation, job_key

    queue = Queue.from_url(servers.redis_url, name=f"orphan-{uuid4().hex[:6]}")
    await queue.connect()
    try:
        row = Row(uuid4(), uuid4(), 0)
        await enqueue_generation(queue, row.generation_id, row.tenant_id, attempt=0)
        taken = await queue.dequeue(timeout=1)  # a worker takes it …
        assert taken is not None
        taken.started = int((time.time() - ORPHANED_JOB_S - 5) * 1000)
        await taken.update(status=Status.ACTIVE)  # … and dies before claiming the row
        assert await queue_again(queue, [row]) == 1
        again = await queue.job(job_key(row.generation_id, 0))
        assert again is not None and again.status == Status.QUEUED
    finally:
        await queue.disconnect()


class CountingQueue:
    """The real SAQ queue, with its enqueues counted (each is a round trip to Valkey)."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue
        self.enqueued = 0

    async def enqueue(self, *args: Any, **kwargs: Any) -> Any:
        self.enqueued += 1
        return await self.queue.enqueue(*args, **kwargs)

    async def jobs(self, keys: Any) -> Any:
        return await self.queue.jobs(keys)


def _private_redis(url: str) -> str:
    """The suite's Valkey, database 7: this test may flush it without touching the session app's queue."""
    return url.rsplit("/", 1)[0] + "/7"


async def test_a_sweep_queues_only_the_rows_whose_job_is_gone(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine, servers: Any
) -> None:
    """Pending rows past their grace whose jobs still wait in the queue cost the sweep one lookup, not an
    enqueue each; once Valkey lost them (flushed), the next sweep queues every one again."""
    from dataclasses import replace
    from uuid import UUID, uuid4

    from saq import Queue
    from saq.job import Status

    from app.queue.dispatcher import enqueue_generation, job_key

    board = await _board(client)
    # past this sweep's 2 s grace, well inside the session app's 30 s: its own sweeper leaves them alone
    rows = [await _orphan(engine, board, status="pending", failures=0, age_s=8) for _ in range(12)]
    queue = Queue.from_url(_private_redis(servers.redis_url), name=f"waiting-{uuid4().hex[:6]}")
    await queue.connect()
    try:
        for generation_id in rows:  # queued and waiting: no worker consumes this queue
            await enqueue_generation(queue, UUID(generation_id), UUID(board["tenantId"]), attempt=1)
        counting = CountingQueue(queue)
        runtime = replace(app.state.worker.context["atelier"], queue=counting, pending_grace_s=2.0)

        counts = await sweep_generations(runtime)
        assert (counts["queued"], counting.enqueued) == (0, 0)

        await queue.redis.flushdb()  # Valkey restarted empty: every job is gone
        counts = await sweep_generations(runtime)
        assert counting.enqueued == counts["queued"] == len(rows)
        for generation_id in rows:
            job = await queue.job(job_key(UUID(generation_id), 1))
            assert job is not None and job.status == Status.QUEUED
    finally:
        await queue.disconnect()
