"""Per-request GraphQL context: the actor, the session, and (built on first use) the services and loaders."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import strawberry
from litestar.connection import ASGIConnection
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.exceptions import ConnectionRejectionError
from strawberry.litestar import BaseContext

from app.auth import actor_of
from app.auth.authenticator import token_from_init_payload
from app.db.transactions import after_commit_list
from app.domain.actor import Actor
from app.domain.errors import DomainError
from app.graphql.loaders import Loaders
from app.wiring import Runtime, Services, build_services


class GraphQLContext(BaseContext, kw_only=True, dict=True):
    """Services and loaders share the request's session (one unit of work). They are built on first use:
    twelve services and a dozen DataLoaders are wasted on an operation that reads one field."""

    actor: Actor
    session: AsyncSession
    runtime: Runtime
    after_commit: list[Any]
    redis: Any
    pubsub: Any  # app.platform.pubsub.PubSubHub: the process's one pub/sub connection
    connection_params: Any = None  # a websocket's connection_init payload (Strawberry sets it)

    @cached_property
    def services(self) -> Services:
        return build_services(self.session, self.actor, self.runtime, self.after_commit)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(self.session, self.actor, self.services)


async def graphql_context(request: ASGIConnection[Any, Any, Any, Any]) -> GraphQLContext:
    """The Strawberry view's context (every transport), on the request's unit-of-work session (the one
    advanced-alchemy's `db_session` dependency gives; taken here so Litestar resolves the view's dependencies
    as one chain, not in task groups). The session connects once the operation is known
    (app.graphql.extensions.UnitOfWork: a query in autocommit)."""
    state = request.app.state
    return GraphQLContext(
        actor=actor_of(request),
        session=state.alchemy.provide_session(state, request.scope),
        runtime=state.runtime,
        after_commit=after_commit_list(request.scope),
        redis=state.redis,
        pubsub=state.pubsub,
    )


Info = strawberry.Info[GraphQLContext, None]


async def authenticate_init_payload(context: GraphQLContext) -> None:
    """A token in a websocket's connection_init payload becomes the connection's actor; a bad one rejects
    the connection (graphql-transport-ws closes with 4403), as a bad header would have refused it."""
    try:
        token = token_from_init_payload(context.connection_params)
        if token is None or context.websocket is None:
            return
        state = context.websocket.app.state
        sessions = state[state.alchemy.session_maker_app_state_key]
        context.actor = await state.authenticator.authenticate_token(token, context.websocket, sessions)
    except DomainError as error:  # a disabled tenant or account keeps its FORBIDDEN code and reason
        code = error.code if error.code == "FORBIDDEN" else "UNAUTHENTICATED"
        raise ConnectionRejectionError({"code": code, "message": error.message, **error.details}) from None
