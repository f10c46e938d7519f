"""Litestar DI providers: each builds a domain service through app.wiring for the current actor."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import actor_of
from app.domain.boards import BoardService
from app.wiring import build_board_service


async def provide_boards(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> BoardService:
    return build_board_service(db_session, actor_of(request))
