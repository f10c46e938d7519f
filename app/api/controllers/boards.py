"""REST: /api/v1/boards — the same capabilities as GraphQL's board queries and mutations."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.params import NOT_BLANK
from app.contracts import (
    Board,
    BoardCreate,
    BoardList,
    BoardListQuery,
    BoardQueryRole,
    BoardUpdate,
    SortOrder,
)
from app.domain.paging import MAX_OFFSET
from app.wiring import Services


class BoardController(Controller):
    path = "/api/v1/boards"
    tags = ["Boards"]

    @post(operation_id="CreateBoard", summary="Create a board owned by the caller")
    async def create_board(self, services: NamedDependency[Services], data: JSONBody[BoardCreate]) -> Board:
        return await services.boards.create(data)

    @get(operation_id="ListMyBoards", summary="Boards the caller owns or is a member of")
    async def list_my_boards(
        self,
        services: NamedDependency[Services],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
        role: Annotated[BoardQueryRole, QueryParameter(name="role")] = BoardQueryRole.ANY,
        sort: Annotated[SortOrder, QueryParameter(name="sort")] = SortOrder.UPDATED_DESC,
    ) -> BoardList:
        return await services.boards.list_mine(
            BoardListQuery(limit=limit, offset=offset, role=role, sort=sort)
        )

    @get(
        "/search",
        operation_id="SearchBoards",
        summary="Boards you may read whose title or description matches",
    )
    async def search_boards(
        self,
        services: NamedDependency[Services],
        q: Annotated[str, QueryParameter(name="q", min_length=1, max_length=200, pattern=NOT_BLANK)],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
    ) -> BoardList:
        return await services.boards.search(q, limit=limit, offset=offset)

    @get("/public", operation_id="ListPublicBoards", summary="Public boards of the tenant")
    async def list_public_boards(
        self,
        services: NamedDependency[Services],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
        sort: Annotated[SortOrder, QueryParameter(name="sort")] = SortOrder.UPDATED_DESC,
    ) -> BoardList:
        return await services.boards.public(sort=sort, limit=limit, offset=offset)

    @get("/{board_id:uuid}", operation_id="GetBoard", summary="One board")
    async def get_board(self, services: NamedDependency[Services], board_id: FromPath[UUID]) -> Board:
        return await services.boards.get(board_id)

    @patch("/{board_id:uuid}", operation_id="UpdateBoard", summary="Change some fields of a board")
    async def update_board(
        self, services: NamedDependency[Services], board_id: FromPath[UUID], data: JSONBody[BoardUpdate]
    ) -> Board:
        return await services.boards.update(board_id, data)

    @delete(
        "/{board_id:uuid}",
        operation_id="DeleteBoard",
        summary="Delete a board and everything on it",
        status_code=204,
    )
    async def delete_board(
        self, services: NamedDependency[Services], board_id: FromPath[UUID]
    ) -> Response[None]:
        await services.boards.delete(board_id)
        return Response(None, status_code=204)
