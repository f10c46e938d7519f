"""Search statements never run as parallel plans (schema/sql/0220: a worker's start-up doubled the latency of
a two-word search at 1,000,000 generations on a busy host), nor inside a transaction they do not need. The
planner is talked into parallelism here with zero parallel costs, so only the table's setting keeps it serial."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from litestar import Litestar
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.db.stores.search import SqlSearchStore
from app.domain.actor import Actor
from app.domain.search.service import FACET_CAP, plan_for, query_from
from tests.integration.graphql.test_transactions import transaction_states

EAGER_PARALLELISM = (
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0",
    "SET LOCAL min_parallel_table_scan_size = 0",
    "SET LOCAL min_parallel_index_scan_size = 0",
    "SET LOCAL max_parallel_workers_per_gather = 4",
    "SET LOCAL enable_indexscan = off",  # a sequential or bitmap scan: the kinds that can go parallel
)


async def _plan(engine: AsyncEngine, query: dict[str, object], *, facets: bool) -> str:
    tenant_id, user_id = uuid.uuid4(), uuid.uuid4()
    plan = plan_for(query_from(query), Actor(tenant_id=tenant_id, user_id=user_id))
    async with AsyncSession(engine) as session:
        for setting in EAGER_PARALLELISM:
            await session.execute(text(setting))
        store = SqlSearchStore(session, tenant_id)
        statement = store.facet_statement(plan, FACET_CAP) if facets else store.page_statement(plan, 51)
        connection = await session.connection()

        def to_explain(conn: object, cursor: object, sql: str, parameters: object, *_: object) -> object:
            return "EXPLAIN " + sql, parameters

        event.listen(connection.sync_connection, "before_cursor_execute", to_explain, retval=True)
        try:
            rows = (await session.execute(*statement)).all()
        finally:
            event.remove(connection.sync_connection, "before_cursor_execute", to_explain)
        return "\n".join(str(row[0]) for row in rows)


async def test_search_and_facet_plans_stay_serial_even_when_parallelism_is_free(engine: AsyncEngine) -> None:
    cases: list[tuple[dict[str, object], bool]] = [
        ({"q": "orchid miel", "artifactTypes": ["image"], "minWidth": 1024}, False),
        ({"sort": "newest"}, False),
        ({"q": "orchid miel", "artifactTypes": ["image"]}, True),
    ]
    for query, facets in cases:
        plan = await _plan(engine, query, facets=facets)
        assert not re.search(r"Parallel [\w ]+ on generations", plan), plan


async def test_rest_search_and_facets_read_without_a_transaction(
    app: Litestar, client: httpx.AsyncClient, board: dict[str, Any]
) -> None:
    """No BEGIN/COMMIT round trips around a read (each one a wait for a core on a busy host)."""
    with transaction_states(app) as states:
        page = await client.get("/api/v1/generations/search", params={"q": "orchid", "minWidth": 1024})
        facets = await client.post("/api/v1/generations/facets", json={"q": "orchid"})
    assert page.status_code == 200 and facets.status_code == 200, (page.text, facets.text)
    assert states and not any(states), states
