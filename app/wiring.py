"""Composition root: the one function per use-case family that REST, GraphQL and jobs all call."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.stores import SqlBoardStore, SqlTenancyStore
from app.domain.actor import Actor
from app.domain.boards import BoardService


def build_board_service(session: AsyncSession, actor: Actor) -> BoardService:
    """Board use cases for `actor`, over a store bound to the actor's tenant."""
    return BoardService(SqlBoardStore(session, actor.tenant_id), actor)


def build_directory(session: AsyncSession) -> SqlTenancyStore:
    """Tenant lookup and user provisioning (used by authentication)."""
    return SqlTenancyStore(session)
