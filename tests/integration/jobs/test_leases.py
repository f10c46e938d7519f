"""Leases with fencing on the real database: a claim is a compare-and-set, a run that lost its lease can
write nothing, a draining worker hands its runs back without counting a failure, and an unreachable
database answers 503 (GraphQL: SERVICE_UNAVAILABLE), never 500."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.autocommit import AUTOCOMMIT
from app.domain.generations.lifecycle import ErrorCode, Run
from app.domain.generations.ports import StoredOutputs
from app.server import create_app
from app.settings import Settings
from app.wiring import build_lifecycle
from tests.conftest import running

LEASE_S = 5.0


async def _pending(engine: AsyncEngine, client: httpx.AsyncClient) -> tuple[UUID, UUID]:
    """A pending generation no worker will pick up (inserted directly: no job is queued)."""
    board = (await client.post("/api/v1/boards", json={"title": "Leases"})).json()
    async with engine.begin() as conn:
        gid = (
            await conn.execute(
                text(
                    "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type,"
                    " input_params) VALUES (:t, :b, :u, 'atelier-test', 'text', '{}') RETURNING id"
                ),
                {"t": board["tenantId"], "b": board["id"], "u": board["ownerId"]},
            )
        ).scalar_one()
    return gid, UUID(board["tenantId"])


async def _step(engine: AsyncEngine, tenant: UUID, action: Any) -> Any:
    """As a worker runs a step: one statement on an autocommit connection."""
    async with engine.execution_options(**AUTOCOMMIT).connect() as connection:
        return await action(build_lifecycle(connection, tenant))


async def _lapse(engine: AsyncEngine, gid: UUID) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE generations SET lease_expires_at = now() - interval '1 second' WHERE id = :g"),
            {"g": gid},
        )
        uptime = (
            await conn.execute(text("SELECT extract(epoch FROM now() - pg_postmaster_start_time())"))
        ).scalar_one()
    await asyncio.sleep(max(0.0, LEASE_S - float(uptime) + 0.2))  # takeovers wait a lease after a restart


async def _row(engine: AsyncEngine, gid: UUID) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = await conn.execute(
            text(
                "SELECT status::text, attempt, failures, lease_owner, error_code, status_message FROM generations WHERE id = :g"
            ),
            {"g": gid},
        )
        return dict(row.mappings().one())


async def test_a_claim_takes_a_pending_row_once_and_a_held_row_never(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    gid, tenant = await _pending(engine, client)
    first = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-a", LEASE_S))
    again = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-b", LEASE_S))
    assert first is not None and first[0].attempt == 1
    assert again is None  # the lease is valid: nobody else may run it
    assert (await _row(engine, gid))["lease_owner"] == "worker-a"


async def test_a_run_that_lost_its_lease_is_fenced_off(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    gid, tenant = await _pending(engine, client)
    zombie, _ = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-a", LEASE_S))
    await _lapse(engine, gid)  # worker-a paused past its lease
    taken = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-b", LEASE_S))
    assert taken is not None
    holder: Run = taken[0]
    assert holder.attempt == zombie.attempt + 1 and holder.failures == 1  # the lost attempt counts

    outputs = StoredOutputs(storage_key=None, content_type="text/plain", metadata={"by": "zombie"})
    assert (
        await _step(engine, tenant, lambda lc: lc.progress(zombie, 0.5, "processing", "late", LEASE_S))
        is None
    )
    assert await _step(engine, tenant, lambda lc: lc.complete(zombie, outputs)) is None
    assert await _step(engine, tenant, lambda lc: lc.fail(zombie, ErrorCode.GENERATOR_FAILED, "late")) is None
    assert await _step(engine, tenant, lambda lc: lc.hand_back(zombie, "late")) is None
    assert not await _step(engine, tenant, lambda lc: lc.holds(zombie))

    done = await _step(engine, tenant, lambda lc: lc.complete(holder, StoredOutputs(None, "text/plain")))
    assert done is not None and done.status.value == "completed"
    row = await _row(engine, gid)
    assert (row["status"], row["attempt"], row["lease_owner"]) == ("completed", 2, None)


async def test_a_hand_back_does_not_count_as_a_failure_and_retries_do(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    gid, tenant = await _pending(engine, client)
    run, _ = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-a", LEASE_S))
    assert await _step(engine, tenant, lambda lc: lc.hand_back(run, "handed back by a stopping worker"))
    assert (await _row(engine, gid))["failures"] == 0
    run, _ = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-b", LEASE_S))
    for _ in range(2):
        row, delay = await _step(engine, tenant, lambda lc, r=run: lc.retry_or_fail(r, "flaky"))
        assert row is not None and row.status.value == "pending" and delay is not None and delay > 0
        run, _ = await _step(engine, tenant, lambda lc: lc.claim(gid, "worker-b", LEASE_S))
    row, delay = await _step(engine, tenant, lambda lc: lc.retry_or_fail(run, "flaky"))
    assert delay is None and row is not None and row.status.value == "failed"
    assert (await _row(engine, gid))["error_code"] == "GENERATOR_FAILED"


async def _wait(client: httpx.AsyncClient, gid: str, want: set[str], within_s: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        body: dict[str, Any] = (await client.get(f"/api/v1/generations/{gid}")).json()
        if body["status"] in want or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.05)


async def test_a_draining_worker_hands_running_generations_back(
    settings: Settings, engine: AsyncEngine, clean_db: None
) -> None:
    from app.jobs.config import drain

    app = create_app(
        settings.model_copy(update={"queue_name": "drain-test", "worker_shutdown_grace_seconds": 0.5})
    )
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        board = (await http.post("/api/v1/boards", json={"title": "Drain"})).json()
        quick = (
            await http.post(
                "/api/v1/generations",
                json={
                    "boardId": board["id"],
                    "generatorName": "atelier-test",
                    "inputParams": {"duration_seconds": 0.1},
                },
            )
        ).json()
        slow = (await http.post("/api/v1/generations", json={
            "boardId": board["id"], "generatorName": "atelier-test",
            "inputParams": {"duration_seconds": 30, "steps": 30}})).json()  # fmt: skip
        assert (await _wait(http, quick["id"], {"completed"}))["status"] == "completed"
        assert (await _wait(http, slow["id"], {"processing"}))["status"] == "processing"
        started = time.monotonic()
        await drain(app.state.worker)
        assert time.monotonic() - started < 5  # the grace (0.5 s) plus the hand-back, not the run's 30 s
        row = await _row(engine, UUID(slow["id"]))
    assert (row["status"], row["failures"], row["lease_owner"]) == ("pending", 0, None)
    assert row["status_message"] == "handed back by a stopping worker"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def no_database(settings: Settings) -> Any:
    url = f"postgresql+asyncpg://nobody@127.0.0.1:{_closed_port()}/gone"
    app = create_app(settings.model_copy(update={"database_url": url, "worker_in_process": False}))
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        yield http


async def test_an_unreachable_database_answers_503_with_retry_after(no_database: httpx.AsyncClient) -> None:
    rest = await no_database.get("/api/v1/boards")
    assert rest.status_code == 503, rest.text
    assert rest.headers["content-type"].startswith("application/problem+json")
    assert int(rest.headers["retry-after"]) > 0 and rest.json()["code"] == "SERVICE_UNAVAILABLE"
    created = await no_database.post("/api/v1/boards", json={"title": "x"})
    assert created.status_code == 503
    gql = await no_database.post("/graphql", json={"query": "{ myBoards { id } }"})
    body = gql.json()
    if gql.status_code == 200:  # failed while executing: a GraphQL error
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    else:  # failed before execution (resolving the caller): REST's problem, with GraphQL's errors in it
        assert (gql.status_code, body["code"]) == (503, "SERVICE_UNAVAILABLE")
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert int(gql.headers["retry-after"]) > 0


class _Run:
    """What the lease keeper needs of a running run: its attempt, and a way to stop it."""

    def __init__(self, attempt: int) -> None:
        self.attempt = attempt
        self.stopped = 0
        self.finishing = False  # past the generator (its final write may end the row): never stopped

    def stop(self) -> None:
        self.stopped += 1


async def test_the_lease_keeper_renews_held_runs_and_stops_taken_over_ones(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    from app.jobs.leases import renew_leases

    runtime = app.state.worker.context["atelier"]
    held_id, tenant = await _pending(engine, client)
    lost_id, _ = await _pending(engine, client)
    for gid in (held_id, lost_id):
        await _step(engine, tenant, lambda lc, g=gid: lc.claim(g, runtime.owner, 1.0))
    held, lost = _Run(attempt=1), _Run(attempt=1)
    async with engine.begin() as conn:  # another worker took `lost` over after this one's lease lapsed
        await conn.execute(
            text("UPDATE generations SET attempt = 2, lease_owner = 'other' WHERE id = :g"), {"g": lost_id}
        )
    runtime.runs.update({held_id: held, lost_id: lost})
    try:
        assert await renew_leases(runtime) >= 1
    finally:
        runtime.runs.pop(held_id, None)
        runtime.runs.pop(lost_id, None)
    assert lost.stopped >= 1 and held.stopped == 0
    async with engine.connect() as conn:
        left = (
            await conn.execute(
                text("SELECT extract(epoch FROM lease_expires_at - now()) FROM generations WHERE id = :g"),
                {"g": held_id},
            )
        ).scalar_one()
    assert float(left) > 1.0  # renewed to the worker's own lease (15 s in tests), past the 1 s it claimed
