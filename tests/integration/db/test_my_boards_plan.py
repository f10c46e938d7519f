"""myBoards / GET /boards finds the caller's boards through indexes: `owner_id = me OR id = ANY(ARRAY(my
memberships))`. The former `OR EXISTS (…)` could not combine indexes, so PostgreSQL read every board of
the tenant (a Seq Scan of 20,000 boards at BENCH_SCALE=100, 8.6 ms; bench/README.md). Among 3,000 boards of
someone else the plan must OR two index scans. The listing itself must not change."""

from __future__ import annotations

from uuid import UUID

import httpx
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from app.contracts import BoardQueryRole
from app.db.stores.boards import BOARD_COLUMNS, SqlBoardStore


async def test_the_callers_boards_have_an_index_plan(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Mine"})).json()
    tenant, owner = UUID(board["tenantId"]), UUID(board["ownerId"])
    async with engine.begin() as conn:  # 3,000 boards of another user of the tenant, then fresh statistics
        await conn.execute(
            text(
                "WITH u AS (INSERT INTO users (tenant_id, auth_provider, auth_subject)"
                " VALUES (:t, 'local', 'someone-else') RETURNING id)"
                " INSERT INTO boards (tenant_id, owner_id, title) SELECT :t, u.id, 'Board ' || n"
                " FROM u, generate_series(1, 3000) AS n"
            ),
            {"t": tenant},
        )
        await conn.execute(text("ANALYZE boards"))
        await conn.execute(text("ANALYZE board_members"))
    async with engine.connect() as conn:
        store = SqlBoardStore(None, tenant)  # type: ignore[arg-type]  # only builds the condition
        condition = store._for_user(owner, BoardQueryRole.ANY)
        sql = str(
            select(*BOARD_COLUMNS)
            .where(condition)
            .compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
        )
        plan = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {sql}")))
        listed = (await conn.execute(text(sql))).all()
    assert "Seq Scan on boards" not in plan, plan
    assert "BitmapOr" in plan, plan  # owner index OR primary key: no walk over the tenant's boards
    assert [str(row.id) for row in listed] == [board["id"]]
    assert [b["id"] for b in (await client.get("/api/v1/boards")).json()["items"]] == [board["id"]]
