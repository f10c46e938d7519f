"""Tags, searchUsers, searchBoards and publicBoards read their page without a window count: `count(*) OVER ()`
made PostgreSQL read and sort every match before the LIMIT (searchUsers `lovelace`: 5,000 of 100,000 users sorted to return 20,
86 ms at BENCH_SCALE=100). GraphQL's lists show no total and run only the page; REST counts apart, and only
when the page cannot tell the total, which stays exact on every page, the last one and one past the end."""

from __future__ import annotations

import httpx
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.graphql.test_statement_counts import counting


async def _seed_users(engine: AsyncEngine, n: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (tenant_id, auth_provider, auth_subject, display_name)"
                " SELECT t.id, 'local', 'lt-' || n, 'Ada Lovelace ' || n"
                " FROM tenants t, generate_series(1, :n) n WHERE t.slug = 'default'"
            ),
            {"n": n},
        )


async def _seed_tags(client: httpx.AsyncClient, n: int) -> None:
    for i in range(n):
        response = await client.post("/api/v1/tags", json={"name": f"tag {i:02d}"})
        assert response.status_code == 201, response.text


async def _seed_boards(client: httpx.AsyncClient, n: int) -> None:
    for i in range(n):
        body = {"title": f"Lovelace board {i}", "isPublic": True}
        response = await client.post("/api/v1/boards", json=body)
        assert response.status_code == 201, response.text


async def _rest(client: httpx.AsyncClient, path: str, **params: str | int) -> tuple[list[str], int]:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["page"]["totalExact"] is True
    return [item["id"] for item in body["items"]], body["page"]["total"]


async def test_graphql_lists_run_only_their_page(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await _seed_users(engine, 6)
    await _seed_tags(client, 6)
    await _seed_boards(client, 6)
    for query, field in (('{ searchUsers(query: "lovelace", limit: 5) { id } }', "searchUsers"),
                         ("{ tags(limit: 5) { id } }", "tags"),
                         ('{ searchBoards(query: "lovelace", limit: 5) { id } }', "searchBoards"),
                         ("{ publicBoards(limit: 5) { id } }", "publicBoards")):  # fmt: skip
        with counting(app) as statements:
            body = (await client.post("/graphql", json={"query": query})).json()
        assert len(body["data"][field]) == 5, body
        assert not [s for s in statements if "count(" in s.lower()], statements
        assert not [s for s in statements if " over " in s.lower()], statements


async def test_rest_totals_are_exact_on_every_page(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    await _seed_users(engine, 7)
    await _seed_tags(client, 7)
    await _seed_boards(client, 7)
    for path, params in (("/api/v1/users", {"q": "lovelace"}), ("/api/v1/tags", {}),
                         ("/api/v1/boards/search", {"q": "lovelace"}), ("/api/v1/boards/public", {})):  # fmt: skip
        seen: list[str] = []
        for offset in (0, 5):
            ids, total = await _rest(client, path, limit=5, offset=offset, **params)
            assert total == 7, path
            seen += ids
        assert len(set(seen)) == 7
        assert await _rest(client, path, limit=5, offset=40, **params) == ([], 7)  # past the end
        ids, total = await _rest(client, path, limit=10, **params)  # one short page: no count needed
        assert (len(ids), total) == (7, 7)
    assert await _rest(client, "/api/v1/users", q="nobody-by-that-name") == ([], 0)
