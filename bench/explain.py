"""Capture EXPLAIN (ANALYZE, BUFFERS) of the SQL a search or facets request runs, from the app's own store.

The statement is built by the same code the API runs (SqlSearchStore), for the same query and caller; a
SQLAlchemy `before_cursor_execute` hook (a public event) prefixes it with EXPLAIN, so the plan shown is the
plan of exactly that statement with its bound parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.db.stores.search import SqlSearchStore
from app.domain.actor import Actor
from app.domain.search.service import FACET_CAP, plan_for, query_from


async def explain(
    database_url: str, tenant_id: UUID, user_id: UUID, query: Mapping[str, Any], *, facets: bool = False
) -> str:
    engine = create_async_engine(database_url, poolclass=NullPool)

    def to_explain(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> Any:
        return "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters

    event.listen(engine.sync_engine, "before_cursor_execute", to_explain, retval=True)
    try:
        async with AsyncSession(engine) as session:
            store = SqlSearchStore(session, tenant_id)
            contract = query_from(dict(query))
            plan = plan_for(contract, Actor(tenant_id=tenant_id, user_id=user_id))
            statement = (
                store.facet_statement(plan, FACET_CAP)
                if facets
                else store.page_statement(plan, contract.limit + 1)
            )
            rows = (await session.execute(*statement)).all()
            return "\n".join(str(row[0]) for row in rows)
    finally:
        await engine.dispose()
