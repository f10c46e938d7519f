"""Board queries and mutations (Boards-compatible names)."""

from __future__ import annotations

from uuid import UUID

import msgspec
import strawberry

from app import contracts
from app.domain.errors import NotFound
from app.graphql._generated.types import BoardQueryRole, CreateBoardInput, SortOrder, UpdateBoardInput
from app.graphql.context import Info
from app.graphql.paging import page_limit
from app.graphql.types import Board


@strawberry.type
class BoardQueries:
    @strawberry.field(description="One board the caller may read, or null.")
    async def board(self, info: Info, id: UUID) -> Board | None:
        try:
            board, owner = await info.context.services.boards.get_with_owner(id)
        except NotFound:
            return None
        if owner is not None:  # `owner { … }` needs no second read
            info.context.loaders.user_by_id.prime(owner.id, owner)
        return Board.from_contract(board)

    @strawberry.field(description="Boards the caller owns or is a member of.")
    async def my_boards(
        self,
        info: Info,
        limit: int | None = 50,
        offset: int | None = 0,
        role: BoardQueryRole | None = None,  # Boards' defaults (null); null means ANY, UPDATED_DESC
        sort: SortOrder | None = None,
    ) -> list[Board]:
        role, sort = role or BoardQueryRole.ANY, sort or SortOrder.UPDATED_DESC
        query = msgspec.convert(
            {"limit": page_limit(limit), "offset": offset or 0, "role": role.value, "sort": sort.value},
            contracts.BoardListQuery,
        )  # convert (not the constructor) runs the contract's limit/offset constraints
        page = await info.context.services.boards.list_mine(query)
        return [Board.from_contract(item) for item in page.items]

    @strawberry.field(description="Boards you may read whose title or description contains the text.")
    async def search_boards(
        self, info: Info, query: str, limit: int | None = 50, offset: int | None = 0
    ) -> list[Board]:
        page = await info.context.services.boards.search(
            query, limit=page_limit(limit), offset=offset or 0, counted=False
        )  # no total in GraphQL: no count
        return [Board.from_contract(item) for item in page.items]

    @strawberry.field(description="Public boards of the tenant.")
    async def public_boards(
        self,
        info: Info,
        limit: int | None = 50,
        offset: int | None = 0,
        sort: SortOrder | None = None,  # Boards' default (null): UPDATED_DESC
    ) -> list[Board]:
        page = await info.context.services.boards.public(
            sort=contracts.SortOrder((sort or SortOrder.UPDATED_DESC).value),
            limit=page_limit(limit),
            offset=offset or 0,
            counted=False,  # no total in GraphQL: no count
        )
        return [Board.from_contract(item) for item in page.items]


@strawberry.type
class BoardMutations:
    @strawberry.mutation(description="Create a board owned by the caller.")
    async def create_board(self, info: Info, input: CreateBoardInput) -> Board:
        return Board.from_contract(await info.context.services.boards.create(input.to_contract()))

    @strawberry.mutation(description="Change some fields of a board (admin or owner).")
    async def update_board(self, info: Info, input: UpdateBoardInput) -> Board:
        return Board.from_contract(await info.context.services.boards.update(input.id, input.to_contract()))

    @strawberry.mutation(description="Delete a board and everything on it (owner).")
    async def delete_board(self, info: Info, id: UUID) -> bool:
        return await info.context.services.boards.delete(id)
