"""REST writes run in one transaction; a session in autocommit (a GraphQL query) is closed, not committed,
when the response starts, like every request's (an SSE stream must not hold a pooled connection)."""

from __future__ import annotations

from typing import Any

import httpx
from advanced_alchemy.extensions.litestar._utils import set_aa_scope_state
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.db.transactions import READ_ONLY, _before_send, nothing_to_commit
from tests.integration.graphql.test_transactions import transaction_states


async def test_a_rest_write_runs_in_one_transaction(app: Litestar, client: httpx.AsyncClient) -> None:
    with transaction_states(app) as states:
        created = await client.post("/api/v1/boards", json={"title": "t"})
    assert created.status_code == 201, created.text
    assert states and all(states), states


async def test_an_autocommit_session_is_closed_when_the_response_starts(engine: AsyncEngine) -> None:
    session = AsyncSession(engine)
    await session.connection(execution_options=READ_ONLY)
    await session.execute(text("SELECT 1"))
    scope: dict[str, Any] = {"state": {}, "path": "/"}
    nothing_to_commit(scope)  # type: ignore[arg-type]
    set_aa_scope_state(scope, "db_session_test", session)  # type: ignore[arg-type]
    await _before_send(
        {"type": "http.response.start", "status": 200, "headers": []}, scope, "db_session_test"
    )  # type: ignore[arg-type]
    assert session.sync_session.get_transaction() is None  # closed: the connection went back to the pool
    await session.close()
