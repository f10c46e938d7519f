"""Board.generationCount reads a counter that triggers keep (schema/sql/0240), not the generations: counting
them at read time visited a heap page per generation (46 ms for myBoards' 16 boards at 1,000,000
generations). The counter must equal count(*) after every kind of write: inserts of one or many rows over
several boards, deletes, a generation moved to another board, a board deleted, a TRUNCATE; and the
migration counts the generations that were there before it."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.embedded import EmbeddedPostgres
from app.platform import migrate
from tests.conftest import Servers, seed_generations
from tests.integration.graphql.test_statement_counts import counting

COUNTED = "SELECT board_id, generation_count FROM board_generation_counts WHERE generation_count <> 0"
ACTUAL = "SELECT board_id, count(*) FROM generations GROUP BY board_id"


async def test_generation_count_reads_the_counter_not_the_generations(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    full = (await client.post("/api/v1/boards", json={"title": "Full"})).json()
    other = (await client.post("/api/v1/boards", json={"title": "Other"})).json()
    empty = (await client.post("/api/v1/boards", json={"title": "Empty"})).json()
    made = await seed_generations(engine, full["id"], full["ownerId"], 7)
    await seed_generations(engine, other["id"], other["ownerId"], 3)
    assert (await client.delete(f"/api/v1/generations/{made[0]}")).status_code == 204

    query = "{ myBoards(limit: 20) { id generationCount } }"
    with counting(app) as statements:
        body = (await client.post("/graphql", json={"query": query})).json()
    counts = {board["id"]: board["generationCount"] for board in body["data"]["myBoards"]}
    assert counts == {full["id"]: 6, other["id"]: 3, empty["id"]: 0}
    counters = [s for s in statements if "board_generation_counts" in s]
    assert len(counters) == 1, statements  # one statement for every board of the page
    assert not [s for s in statements if "count(" in s.lower() and "from generations" in s.lower()], (
        statements
    )


async def _fixture(conn: AsyncConnection) -> tuple[Any, Any, list[Any]]:
    """A user and three boards of the default tenant, inside the caller's transaction."""
    tenant = (await conn.execute(text("SELECT id FROM tenants ORDER BY created_at LIMIT 1"))).scalar_one()
    user = (
        await conn.execute(
            text(
                "INSERT INTO users (tenant_id, auth_provider, auth_subject) VALUES (:t, 'local', :s) RETURNING id"
            ),
            {"t": tenant, "s": f"counts-{uuid4()}"},
        )
    ).scalar_one()
    rows = await conn.execute(
        text("INSERT INTO boards (tenant_id, owner_id, title) SELECT :t, :u, 'B' || n FROM generate_series(1, 3) n"
             " RETURNING id"),
        {"t": tenant, "u": user},
    )  # fmt: skip
    return tenant, user, [row[0] for row in rows]


async def _apply(
    conn: AsyncConnection, op: tuple[Any, ...], tenant: Any, user: Any, boards: list[Any]
) -> None:
    kind, a, b = op
    if kind == "insert":  # one statement, rows over several boards
        await conn.execute(
            text("INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type)"
                 " SELECT :t, (CAST(:boards AS uuid[]))[1 + n % :spread], :u, 'g', 'image'"
                 " FROM generate_series(1, :n) n"),
            {"t": tenant, "u": user, "boards": [boards[a % 3], boards[(a + 1) % 3], boards[(a + 2) % 3]],
             "spread": 1 + b % 3, "n": a},
        )  # fmt: skip
    elif kind == "delete":  # some rows of one board
        await conn.execute(
            text(
                "DELETE FROM generations WHERE id IN (SELECT id FROM generations WHERE board_id = :b LIMIT :n)"
            ),
            {"b": boards[b % 3], "n": a},
        )
    elif kind == "move":
        await conn.execute(
            text("UPDATE generations SET board_id = :to WHERE id IN"
                 " (SELECT id FROM generations WHERE board_id = :b LIMIT :n)"),
            {"b": boards[b % 3], "to": boards[(b + 1) % 3], "n": a},
        )  # fmt: skip
    elif kind == "progress":  # a lifecycle write: names no board
        await conn.execute(
            text("UPDATE generations SET progress = 0.5 WHERE board_id = :b"), {"b": boards[b % 3]}
        )
    elif kind == "drop board":  # its generations cascade; a fresh board takes its place
        await conn.execute(text("DELETE FROM boards WHERE id = :b"), {"b": boards[b % 3]})
        boards[b % 3] = (
            await conn.execute(
                text("INSERT INTO boards (tenant_id, owner_id, title) VALUES (:t, :u, 'New') RETURNING id"),
                {"t": tenant, "u": user},
            )
        ).scalar_one()


ops = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "move", "progress", "drop board"]), st.integers(0, 6),
              st.integers(0, 5)),
    min_size=1, max_size=8,
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_the_counter_equals_count_after_any_writes(servers: Servers, steps: list[tuple[Any, ...]]) -> None:
    async def run() -> None:
        engine = create_async_engine(servers.database_url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    tenant, user, boards = await _fixture(conn)
                    ever = set(boards)
                    for step in steps:
                        await _apply(conn, step, tenant, user, boards)
                        ever.update(boards)
                        mine = {"boards": list(ever)}
                        where = " AND board_id = ANY(CAST(:boards AS uuid[]))"
                        counted = dict((await conn.execute(text(COUNTED + where), mine)).all())
                        actual_sql = ACTUAL.replace(" GROUP", " WHERE true" + where + " GROUP")
                        actual = dict((await conn.execute(text(actual_sql), mine)).all())
                        assert counted == actual, step
                finally:
                    await transaction.rollback()
        finally:
            await engine.dispose()

    asyncio.run(run())


@pytest.fixture
def scratch(embedded_postgres: EmbeddedPostgres) -> Iterator[str]:
    name = f"cnt_{uuid4().hex[:8]}"
    embedded_postgres.create_database(name)
    yield name
    embedded_postgres.drop_database(name)


def test_the_migration_counts_existing_generations_and_truncate_resets(
    embedded_postgres: EmbeddedPostgres, scratch: str
) -> None:
    def psql(sql: str) -> str:
        return subprocess.run(
            [str(embedded_postgres.bin_dir / "psql"), "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql,
             embedded_postgres.dsn_for(scratch)],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    migrate.upgrade(embedded_postgres.url_for(scratch), "0008_tenant_admin")
    psql(
        "WITH u AS (INSERT INTO users (tenant_id, auth_provider, auth_subject) SELECT id, 'local', 'm' FROM tenants"
        " RETURNING id, tenant_id), b AS (INSERT INTO boards (tenant_id, owner_id, title)"
        " SELECT tenant_id, id, 'B' || n FROM u, generate_series(1, 2) n RETURNING id, tenant_id, owner_id, title)"
        " INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type)"
        " SELECT tenant_id, id, owner_id, 'g', 'image' FROM b, generate_series(1, CASE title WHEN 'B1' THEN 5 ELSE 2 END)"
    )
    migrate.upgrade(embedded_postgres.url_for(scratch))
    counted = "SELECT string_agg(c.generation_count::text, ',' ORDER BY b.title) FROM boards b"
    counted += " JOIN board_generation_counts c ON c.board_id = b.id"
    assert psql(counted) == "5,2"
    psql("TRUNCATE generations CASCADE")
    assert psql("SELECT count(*) FROM board_generation_counts") == "0"
