"""searchUsers walks the tenant's users in name order and stops after its page when the fragment is common:
without ix_users_tenant_display_name PostgreSQL read every match through the trigram index and sorted them
(`lovelace`, 5,023 of 100,000 users at BENCH_SCALE=100: 2,259 heap pages, 19 ms, growing with the table;
with it 6.5 ms, flat in the table's size). A rare fragment is still read first and sorted (the trigram
index at scale). Results must not change."""

from __future__ import annotations

import asyncio
from uuid import UUID, uuid4

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.db.stores.users import SqlUserStore, users
from tests.conftest import Servers


def _sql(tenant: UUID, query: str) -> str:
    store = SqlUserStore(None, tenant)  # type: ignore[arg-type]  # only builds the statement
    statement = store._page(query, 20, 0)
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
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE users"))  # what autovacuum does: the visibility map is set
        common = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {_sql(tenant, 'lovelace')}")))
        rare = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {_sql(tenant, 'hopper4242')}")))
    assert "Index Only Scan using ix_users_tenant_display_name" in common, common  # names tested in the index
    assert "Bitmap Heap Scan" not in common, common  # no read-every-match-then-sort
    assert "ix_users_tenant_display_name" not in rare, rare  # a rare one: read the few matches, then sort
    found = (await client.get("/api/v1/users", params={"q": "lovelace", "limit": 20})).json()
    names = [user["displayName"] for user in found["items"]]
    assert len(names) == 20 and names == sorted(names) and all("Lovelace" in n for n in names)
    assert found["page"]["total"] == 500


NAMES = st.text(alphabet="abAB _%", min_size=0, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.one_of(st.none(), NAMES), min_size=1, max_size=30),
    query=st.text(alphabet="abAB _%@.", min_size=1, max_size=3),
    page=st.tuples(st.integers(1, 7), st.integers(0, 12)),
)
def test_the_page_is_what_a_plain_query_returns(
    servers: Servers, names: list[str | None], query: str, page: tuple[int, int]
) -> None:
    """The index-first page (named matches united with the addressed user) returns exactly the rows, in the
    order, of `WHERE name ILIKE … OR email = … ORDER BY name, id LIMIT … OFFSET …`: NULL names, duplicates,
    LIKE wildcards in the text, and a text that is someone's address."""
    limit, offset = page
    address = "m" + "".join(c for c in query if c not in "@ ") + "@x.y"  # user 3's: a text that is an address

    async def run() -> None:
        engine = create_async_engine(servers.database_url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    tenant = uuid4()
                    await conn.execute(
                        text("INSERT INTO tenants (id, name, slug) VALUES (:t, 'Search', :s)"),
                        {"t": tenant, "s": f"s-{tenant.hex[:12]}"},
                    )
                    for i, name in enumerate(names):
                        await conn.execute(
                            text("INSERT INTO users (tenant_id, auth_provider, auth_subject, display_name, email)"
                                 " VALUES (:t, 'local', :s, :n, :e)"),
                            {"t": tenant, "s": f"u{i}", "n": name, "e": address if i == 3 else f"u{i}@x.y"},
                        )  # fmt: skip
                    store = SqlUserStore(AsyncSession(bind=conn), tenant)
                    for text_ in (query, address):
                        plain = (
                            select(users.c.id)
                            .where(store._matching(text_))
                            .order_by(users.c.display_name, users.c.id)
                        )
                        expected = (await conn.execute(plain.limit(limit).offset(offset))).scalars().all()
                        found, _ = await store.search(text_, limit=limit, offset=offset)
                        assert [user.id for user in found] == list(expected), text_
                finally:
                    await transaction.rollback()
        finally:
            await engine.dispose()

    asyncio.run(run())
