"""A worker's presence lock: held while the worker lives, freed when its connection ends, taken again after
a lost connection — and the sweeper recovers the runs of a worker whose lock is gone before their lease ends."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import uuid4

import httpx
from litestar import Litestar
from sqlalchemy import BigInteger, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.stores.lifecycle import LIVENESS_LOCK_CLASS, pg_locks, presence_key
from app.jobs.presence import WorkerPresence
from app.jobs.sweeper import sweep_generations
from tests.integration.jobs.test_sweeper import _board, _database_up_longer_than

HOLDERS = text(
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = :cls AND objsubid = 2"
    " AND objid::bigint = (hashtext(:owner)::bigint & 4294967295)"
)


async def _holder(engine: AsyncEngine, owner: str) -> int | None:
    async with engine.connect() as conn:
        pid = (await conn.execute(HOLDERS, {"cls": LIVENESS_LOCK_CLASS, "owner": owner})).scalar()
    return None if pid is None else int(pid)


async def test_the_lock_lives_with_the_connection_and_is_taken_again(
    servers: Any, engine: AsyncEngine
) -> None:
    owner = f"test-host:{uuid4().hex[:8]}"
    presence = WorkerPresence(servers.database_url, owner)
    try:
        assert await presence.ensure() is True
        first = await _holder(engine, owner)
        assert first is not None
        assert await presence.ensure() is True and await _holder(engine, owner) == first  # kept, not re-taken

        async with engine.connect() as conn:  # the connection dies (restart, idle timeout, a network cut)
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        for _ in range(50):
            if await _holder(engine, owner) is None:
                break
            await asyncio.sleep(0.05)
        assert await _holder(engine, owner) is None  # freed with the connection: what a dead worker leaves

        assert await presence.ensure() is True  # the next renewal takes it again
        again = await _holder(engine, owner)
        assert again is not None and again != first
    finally:
        await presence.release()
    assert await _holder(engine, owner) is None


async def test_a_second_process_with_the_same_key_does_not_take_it(servers: Any, engine: AsyncEngine) -> None:
    owner = f"test-host:{uuid4().hex[:8]}"
    first, second = WorkerPresence(servers.database_url, owner), WorkerPresence(servers.database_url, owner)
    try:
        assert await first.ensure() is True
        assert await second.ensure() is False  # a hash collision never blocks a worker: it keeps the lease
        assert not second.held
    finally:
        await first.release()
        await second.release()


async def test_presence_key_matches_what_pg_locks_shows(servers: Any, engine: AsyncEngine) -> None:
    owner = "host-ü:12345:abcdef"
    presence = WorkerPresence(servers.database_url, owner)
    try:
        await presence.ensure()
        async with engine.connect() as conn:
            found = (
                await conn.execute(
                    select(pg_locks.c.objid).where(
                        pg_locks.c.locktype == "advisory",
                        pg_locks.c.objid.cast(BigInteger) == presence_key(owner),
                    )
                )
            ).all()
        assert len(found) == 1
    finally:
        await presence.release()


async def _running_row(engine: AsyncEngine, board: dict[str, Any], owner: str, heartbeat_age_s: float) -> str:
    """A processing row whose lease is valid for another minute, as a worker `owner` left it."""
    async with engine.begin() as conn:
        row = await conn.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                " attempt, failures, lease_owner, lease_expires_at, heartbeat_at, started_at, input_params)"
                " VALUES (:t, :b, :u, 'local-image', 'image', 'processing', 1, 0, :owner,"
                " now() + interval '60 seconds', now() - make_interval(secs => :age), now(),"
                ' \'{"prompt": "presence"}\') RETURNING id'
            ),
            {
                "t": board["tenantId"],
                "b": board["id"],
                "u": board["ownerId"],
                "owner": owner,
                "age": heartbeat_age_s,
            },
        )
        return str(row.scalar_one())


async def _state(engine: AsyncEngine, generation_id: str) -> tuple[str, str | None]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT status::text, lease_owner FROM generations WHERE id = :id"),
                {"id": generation_id},
            )
        ).one()
    return str(row[0]), row[1]


async def test_the_runs_of_a_gone_worker_are_recovered_before_their_lease_ends(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine, servers: Any
) -> None:
    board = await _board(client)
    runtime = app.state.worker.context["atelier"]
    alive_owner = f"alive-host:{uuid4().hex[:8]}"
    alive = WorkerPresence(servers.database_url, alive_owner)
    try:
        await alive.ensure()
        # first, or the wait ages the "just renewed" heartbeat past half a lease (a freshly started database
        # when this file runs alone)
        await _database_up_longer_than(engine, runtime.lease_s)
        gone = await _running_row(engine, board, "dead-host:1:abc", heartbeat_age_s=runtime.lease_s)
        # past a third of a lease (live workers renew every fifth): recovered now, not at half a lease
        third = await _running_row(engine, board, "dead-host:3:ghi", heartbeat_age_s=runtime.lease_s * 0.4)
        quiet = await _running_row(engine, board, alive_owner, heartbeat_age_s=runtime.lease_s)  # lock held
        recent = await _running_row(engine, board, "dead-host:2:def", heartbeat_age_s=0)  # just renewed
        await sweep_generations(runtime)

        assert (await _state(engine, gone))[1] != "dead-host:1:abc"  # taken from the gone worker
        assert (await _state(engine, third))[1] != "dead-host:3:ghi"
        assert await _state(engine, quiet) == ("processing", alive_owner)  # a live worker keeps its run
        assert await _state(engine, recent) == (
            "processing",
            "dead-host:2:def",
        )  # not before a third of a lease
    finally:
        await alive.release()


async def test_a_job_taken_by_a_gone_worker_is_queued_again_at_once(
    servers: Any, engine: AsyncEngine
) -> None:
    """A worker took the job and died before claiming the row: the sweeper sees its presence lock gone and
    queues the attempt again now, not ORPHANED_JOB_S later; a job a live worker holds is left alone."""
    from saq import Queue
    from saq.job import Status
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from app.db.stores.sweeper import SqlSweeper
    from app.db.stores.sweeper import Stale as Row
    from app.jobs.sweeper import queue_again
    from app.queue.dispatcher import enqueue_generation, job_key

    live_owner = f"live-host:{uuid4().hex[:8]}"
    live = WorkerPresence(servers.database_url, live_owner)
    queue = Queue.from_url(servers.redis_url, name=f"gone-{uuid4().hex[:6]}")
    await queue.connect()
    sessions = async_sessionmaker(engine)

    async def gone(ids: list[str]) -> set[str]:
        async with sessions() as session:
            return await SqlSweeper(session).gone_workers(ids, lease_s=0)

    try:
        await live.ensure()
        rows = {"ghost-host:1:dead": Row(uuid4(), uuid4(), 0), live_owner: Row(uuid4(), uuid4(), 0)}
        for worker_id, row in rows.items():
            await enqueue_generation(queue, row.generation_id, row.tenant_id, attempt=0)
            taken = await queue.dequeue(timeout=1)
            assert taken is not None
            started = int(time.time() * 1000)  # taken just now, never claimed
            await taken.update(status=Status.ACTIVE, worker_id=worker_id, started=started)

        assert await queue_again(queue, list(rows.values()), gone) == 1  # the ghost's; the live one waits
        again = await queue.job(job_key(rows["ghost-host:1:dead"].generation_id, 0))
        kept = await queue.job(job_key(rows[live_owner].generation_id, 0))
        assert again is not None and again.status == Status.QUEUED  # aborted and queued again at once
        assert kept is not None and kept.status == Status.ACTIVE  # its worker lives: it may still claim
    finally:
        await queue.disconnect()
        await live.release()


def test_a_live_worker_renews_well_within_the_presence_guard() -> None:
    """A live worker whose lock connection dropped re-takes the lock at its next renewal: the renewal period
    must leave room (event-loop lag on a loaded host) before the sweeper's guard judges its runs lost."""
    from app.db.stores.lifecycle import presence_guard
    from app.jobs.leases import RENEWALS_PER_LEASE

    for lease_s in (1.0, 5.0, 15.0, 600.0):
        assert lease_s / RENEWALS_PER_LEASE <= 0.6 * presence_guard(lease_s) + 1e-9
