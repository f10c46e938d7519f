"""Per-request GraphQL context: the actor, the session, the services (app.wiring) and DataLoaders."""

from __future__ import annotations

from typing import Any

import strawberry
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.litestar import BaseContext

from app.auth import actor_of
from app.db.transactions import after_commit_list
from app.domain.actor import Actor
from app.graphql.loaders import Loaders
from app.wiring import Services, build_services


class GraphQLContext(BaseContext, kw_only=True):
    """Built once per request; services and loaders share the request's session (one unit of work)."""

    actor: Actor
    session: AsyncSession
    services: Services
    loaders: Loaders
    redis: Any
    pubsub: Any  # app.platform.pubsub.PubSubHub: the process's one pub/sub connection


async def graphql_context(
    request: ASGIConnection[Any, Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> GraphQLContext:
    actor = actor_of(request)
    # Connect now: sibling fields resolve concurrently, and an AsyncSession refuses two tasks that both try
    # to provision its first connection (500 on `{ me { id } tags { id } }`). Once connected, SQLAlchemy's
    # asyncpg adapter runs one statement at a time on the connection.
    await db_session.connection()
    services = build_services(db_session, actor, request.app.state.runtime, after_commit_list(request.scope))
    loaders = Loaders(db_session, actor, services)
    return GraphQLContext(
        actor=actor,
        session=db_session,
        services=services,
        loaders=loaders,
        redis=request.app.state.redis,
        pubsub=request.app.state.pubsub,
    )


Info = strawberry.Info[GraphQLContext, None]
