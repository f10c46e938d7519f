"""Litestar DI: ONE provider gives a handler the request's `Services` (app.wiring), the same composition GraphQL's
context holds, so a service added there is wired for both APIs at once. Each service is built on first use."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import actor_of
from app.db.transactions import READ_ONLY, after_commit_list, nothing_to_commit
from app.wiring import Services, build_services

# A handler's `opt` key: it only reads, so it runs in autocommit like a GraphQL query: no BEGIN and COMMIT round
# trips (a search page is one statement; facets 4 instead of 8 with their savepoint), each a wait for a core on
# a busy host.
READS_ONLY = "reads_only"


async def provide_services(
    request: Request[Any, Any, Any], state: State, db_session: NamedDependency[AsyncSession]
) -> Services:
    if request.route_handler.opt.get(READS_ONLY):
        await db_session.connection(execution_options=READ_ONLY)
        nothing_to_commit(request.scope)
    return build_services(db_session, actor_of(request), state.runtime, after_commit_list(request.scope))


SERVICES = {"services": Provide(provide_services)}
