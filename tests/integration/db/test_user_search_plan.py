"""searchUsers walks the tenant's users in name order and stops after its page when the fragment is common:
without ix_users_tenant_display_name PostgreSQL read every match through the trigram index and sorted them
(`lovelace`, 5,023 of 100,000 users at BENCH_SCALE=100: 2,259 heap pages, 19 ms, growing with the table;
with it 6.5 ms, flat in the table's size). A rare fragment is still read first and sorted (the trigram
index at scale). Results must not change."""

from __future__ import annotations

from uuid import UUID

import httpx
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.stores.users import SqlUserStore


def _sql(tenant: UUID, query: str) -> str:
    store = SqlUserStore(None, tenant)  # type: ignore[arg-type]  # only builds the statement
    statement = store._page(store._matching(query), 20, 0)
    return str(statement.compile(dialect=asyncpg_dialect(), compile_kwargs={"literal_binds": True}))


async def test_a_common_fragment_walks_the_name_index(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    async with engine.begin() as conn:  # 5,000 users, every tenth a Lovelace, then fresh statistics
        tenant = (await conn.execute(text("SELECT id FROM tenants WHERE slug = 'default'"))).scalar_one()
        await conn.execute(
            text(
                "INSERT INTO users (tenant_id, auth_provider, auth_subject, display_name)"
                " SELECT :t, 'local', 'plan-' || n, (ARRAY['Ada','Grace','Alan','Edsger'])[1 + n % 4] || ' '"
                " || CASE WHEN n % 10 = 0 THEN 'Lovelace' ELSE 'Hopper' || n END || ' ' || n"
                " FROM generate_series(1, 5000) AS n"
            ),
            {"t": tenant},
        )
        await conn.execute(text("ANALYZE users"))
    async with engine.connect() as conn:
        common = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {_sql(tenant, 'lovelace')}")))
        rare = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {_sql(tenant, 'hopper4242')}")))
    assert "ix_users_tenant_display_name" in common, common
    assert "Sort" not in common, common  # the index gives the order: no read-everything-then-sort
    assert "ix_users_tenant_display_name" not in rare, rare  # a rare one: read the few matches, then sort
    found = (await client.get("/api/v1/users", params={"q": "lovelace", "limit": 20})).json()
    names = [user["displayName"] for user in found["items"]]
    assert len(names) == 20 and names == sorted(names) and all("Lovelace" in n for n in names)
    assert found["page"]["total"] == 500
