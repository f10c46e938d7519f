"""The facets' time budget: PostgreSQL itself cancels a statement past it, and the unit of work goes on
(in a transaction, only the savepoint is rolled back; in autocommit, the setting is restored)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.db.stores.search import SqlSearchStore
from app.db.transactions import READ_ONLY


@pytest.mark.parametrize("autocommit", [False, True], ids=["transaction", "autocommit"])
async def test_a_statement_past_the_budget_is_cancelled_and_the_session_goes_on(
    engine: AsyncEngine, autocommit: bool
) -> None:
    async with AsyncSession(engine) as session:
        await session.connection(execution_options=READ_ONLY if autocommit else None)
        store = SqlSearchStore(session, tenant_id=None)  # type: ignore[arg-type]  # no tenant table touched
        before = (await session.execute(text("SHOW statement_timeout"))).scalar_one()
        assert await store.within_budget((select(func.pg_sleep(1)), {}), 50) is None
        rows = await store.within_budget((select(func.pg_sleep(0), 1), {}), 2_000)
        assert rows is not None and rows[0][1] == 1
        assert (await session.execute(text("SHOW statement_timeout"))).scalar_one() == before
        assert (await session.execute(select(1))).scalar_one() == 1  # nothing aborted
