"""Recent generations read one page and count separately: the page walks the newest-first index and stops at
`limit` (a window count over it would read every readable row, with its input params), and the total stays
exact on every page, including the last one (known without a count) and one past the end."""

from __future__ import annotations

import httpx
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.paging import COUNT_AHEAD
from tests.conftest import seed_generations
from tests.integration.graphql.test_statement_counts import counting


async def _page(client: httpx.AsyncClient, **params: str | int) -> tuple[list[str], int]:
    response = await client.get("/api/v1/generations", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["page"]["totalExact"] is True
    return [item["id"] for item in body["items"]], body["page"]["total"]


async def test_totals_are_exact_on_every_page(client: httpx.AsyncClient, engine: AsyncEngine) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Totals"})).json()
    other = (await client.post("/api/v1/boards", json={"title": "Other"})).json()
    await seed_generations(engine, board["id"], board["ownerId"], 7)
    await seed_generations(engine, other["id"], other["ownerId"], 5)
    async with engine.begin() as conn:  # distinct times: newest first is a strict order
        await conn.execute(text("UPDATE generations SET created_at = now() - random() * interval '1 day'"))

    seen: list[str] = []
    for offset in (0, 5, 10):
        ids, total = await _page(client, limit=5, offset=offset)
        assert total == 12
        seen += ids
    assert len(seen) == len(set(seen)) == 12  # three pages, no row twice, none left out
    assert await _page(client, limit=5, offset=40) == ([], 12)  # past the end: still the real total
    assert (await _page(client, limit=5, boardId=board["id"]))[1] == 7
    ids, total = await _page(client, limit=10, boardId=other["id"])  # one short page: no count needed
    assert (len(ids), total) == (5, 5)
    assert await _page(client, limit=5, status="failed") == ([], 0)


async def test_the_graphql_list_never_counts(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """recentGenerations has no total: its only statement is the page (the count reads every readable row:
    a Seq Scan of generations at 1,000,000 rows); REST, which reports the total, counts a full page."""
    board = (await client.post("/api/v1/boards", json={"title": "Counted"})).json()
    await seed_generations(engine, board["id"], board["ownerId"], 6)
    query = "{ recentGenerations(limit: 5) { id } }"
    with counting(app) as statements:
        body = (await client.post("/graphql", json={"query": query})).json()
    assert len(body["data"]["recentGenerations"]) == 5
    assert not [s for s in statements if "count(" in s.lower()], statements
    with counting(app) as statements:
        assert (await _page(client, limit=5))[1] == 6
    assert [s for s in statements if "count(" in s.lower()]


async def test_the_count_stops_ten_thousand_rows_past_the_page(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """ "Everything I can read" is most of the table: the count stops COUNT_AHEAD rows past the page and says
    the total is a lower bound, instead of reading every row (3.4 s at 1,000,000 generations)."""
    board = (await client.post("/api/v1/boards", json={"title": "Many"})).json()
    await seed_generations(engine, board["id"], board["ownerId"], COUNT_AHEAD + 70)
    for params, total, exact in (
        ({"limit": 50}, COUNT_AHEAD + 50, False),
        ({"limit": 10, "offset": 40}, COUNT_AHEAD + 50, False),
        ({"limit": 50, "offset": 30}, COUNT_AHEAD + 70, True),  # the count ends before the limit: exact
    ):
        body = (await client.get("/api/v1/generations", params=params)).json()
        assert (body["page"]["total"], body["page"]["totalExact"]) == (total, exact), params
