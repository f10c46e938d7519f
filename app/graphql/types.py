"""GraphQL object types: the generated data fields plus hand-written relation resolvers (via DataLoaders)."""

from __future__ import annotations

import strawberry

from app.graphql._generated.types import BoardFields, BoardMemberFields, UserFields
from app.graphql.context import Info


@strawberry.type(name="BoardMember")
class BoardMember(BoardMemberFields):
    @strawberry.field(description="The member.")
    async def user(self, info: Info) -> UserFields | None:
        found = await info.context.loaders.user_by_id.load(self.user_id)
        return None if found is None else UserFields.from_contract(found)

    @strawberry.field(description="Who added or invited the member.")
    async def inviter(self, info: Info) -> UserFields | None:
        if self.invited_by is None:
            return None
        found = await info.context.loaders.user_by_id.load(self.invited_by)
        return None if found is None else UserFields.from_contract(found)


@strawberry.type(name="Board")
class Board(BoardFields):
    """A board. Generations and generationCount arrive with the generation context."""

    @strawberry.field(description="The board's owner.")
    async def owner(self, info: Info) -> UserFields:
        found = await info.context.loaders.user_by_id.load(self.owner_id)
        if found is None:  # owner rows cascade with their boards; this cannot happen in a consistent database
            raise LookupError("board owner missing")
        return UserFields.from_contract(found)

    @strawberry.field(description="Members with their roles (the owner is not listed).")
    async def members(self, info: Info) -> list[BoardMember]:
        rows = await info.context.loaders.members_by_board.load(self.id)
        return [BoardMember.from_contract(row) for row in rows]
