"""Per-request GraphQL context: the actor, the session, and the services built through app.wiring."""

from __future__ import annotations

from typing import Any

import strawberry
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.litestar import BaseContext

from app.auth import actor_of
from app.domain.actor import Actor
from app.domain.boards import BoardService
from app.wiring import build_board_service


class GraphQLContext(BaseContext, kw_only=True):
    """Built once per request (STYLE rule 7); DataLoaders will live here too, so their cache is per request."""

    actor: Actor
    session: AsyncSession
    boards: BoardService


async def graphql_context(
    request: ASGIConnection[Any, Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> GraphQLContext:
    actor = actor_of(request)
    return GraphQLContext(actor=actor, session=db_session, boards=build_board_service(db_session, actor))


Info = strawberry.Info[GraphQLContext, None]
