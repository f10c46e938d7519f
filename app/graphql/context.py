"""Per-request GraphQL context: the actor, the session, the services (app.wiring) and DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import strawberry
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.litestar import BaseContext

from app.auth import actor_of
from app.contracts import BoardMember, User
from app.db.stores.members import SqlMemberStore
from app.db.stores.users import SqlUserStore
from app.domain.actor import Actor
from app.wiring import Services, build_services


class Loaders:
    """DataLoaders for one request, so their caches never outlive it (STYLE rule 7).

    Loaders read through tenant-scoped stores; callers reach them only after the service has checked the
    parent object's permissions (e.g. a board's members are loaded for a board the actor could read).
    """

    def __init__(self, session: AsyncSession, actor: Actor) -> None:
        users = SqlUserStore(session, actor.tenant_id)
        members = SqlMemberStore(session, actor.tenant_id)

        async def load_users(ids: Sequence[UUID]) -> list[User | None]:
            found = {user.id: user for user in await users.get_many(list(ids))}
            return [found.get(i) for i in ids]

        async def load_members(board_ids: Sequence[UUID]) -> list[list[BoardMember]]:
            by_board: dict[UUID, list[BoardMember]] = {i: [] for i in board_ids}
            for member in await members.members(list(board_ids)):
                by_board[member.board_id].append(member)
            return [by_board[i] for i in board_ids]

        self.user_by_id = DataLoader(load_fn=load_users)
        self.members_by_board = DataLoader(load_fn=load_members)


class GraphQLContext(BaseContext, kw_only=True):
    """Built once per request; services and loaders share the request's session (one unit of work)."""

    actor: Actor
    session: AsyncSession
    services: Services
    loaders: Any  # Loaders (msgspec cannot type a plain class field)


async def graphql_context(
    request: ASGIConnection[Any, Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> GraphQLContext:
    actor = actor_of(request)
    services = build_services(db_session, actor, request.app.state.account_deps)
    return GraphQLContext(
        actor=actor, session=db_session, services=services, loaders=Loaders(db_session, actor)
    )


Info = strawberry.Info[GraphQLContext, None]
