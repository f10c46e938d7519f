"""GraphQL object types: the generated data fields plus hand-written relation fields, each via a DataLoader."""

from __future__ import annotations

from typing import Self, TypeVar
from uuid import UUID

import strawberry

from app import contracts
from app.graphql._generated.types import (
    ArtifactType,
    AuthSessionFields,
    BoardFields,
    BoardMemberFields,
    GenerationFeedFields,
    GenerationFields,
    TagFields,
    UserFields,
)
from app.graphql.context import Info
from app.graphql.paging import page_limit

Tag = TagFields
T = TypeVar("T")


@strawberry.type(name="User")
class User(UserFields):
    @strawberry.field(description="Boards this user owns that you may read.")
    async def boards(self, info: Info) -> list[Board]:
        return [Board.from_contract(b) for b in await info.context.loaders.boards_by_owner.load(self.id)]

    @strawberry.field(description="Boards this user is a member of that you may read.")
    async def member_boards(self, info: Info) -> list[Board]:
        return [
            Board.from_contract(b) for b in await info.context.loaders.member_boards_by_user.load(self.id)
        ]


async def _user(info: Info, user_id: UUID) -> User | None:
    found = await info.context.loaders.user_by_id.load(user_id)
    return None if found is None else User.from_contract(found)


@strawberry.type(name="AuthSession")
class AuthSession(AuthSessionFields):
    user: User

    @classmethod
    def from_contract(cls, view: contracts.AuthSession) -> Self:
        session = super().from_contract(view)
        session.user = User.from_contract(view.user)
        return session


@strawberry.type(name="BoardMember")
class BoardMember(BoardMemberFields):
    @strawberry.field(description="The member.")
    async def user(self, info: Info) -> User:
        member = await _user(info, self.user_id)
        if member is None:  # members cascade with their users: a consistent database never gets here
            raise LookupError("board member's user missing")
        return member

    @strawberry.field(description="Who added or invited the member.")
    async def inviter(self, info: Info) -> User | None:
        return None if self.invited_by is None else await _user(info, self.invited_by)


@strawberry.type(name="Board")
class Board(BoardFields):
    @strawberry.field(description="The board's owner.")
    async def owner(self, info: Info) -> User:
        owner = await _user(info, self.owner_id)
        if owner is None:  # owners cascade with their boards: a consistent database never gets here
            raise LookupError("board owner missing")
        return owner

    @strawberry.field(description="Members with their roles (the owner is not listed).")
    async def members(self, info: Info) -> list[BoardMember]:
        rows = await info.context.loaders.members_by_board.load(self.id)
        return [BoardMember.from_contract(row) for row in rows]

    @strawberry.field(description="The board's generations, newest first.")
    async def generations(
        self, info: Info, limit: int | None = 50, offset: int | None = 0
    ) -> list[Generation]:
        rows = await info.context.loaders.generations_by_board.load((self.id, page_limit(limit), offset or 0))
        return [Generation.from_contract(row) for row in rows]

    @strawberry.field(description="How many generations the board has.")
    async def generation_count(self, info: Info) -> int:
        return await info.context.loaders.generation_count_by_board.load(self.id)


@strawberry.type(name="Generation")
class Generation(GenerationFields):
    @strawberry.field(description="The board the generation belongs to.")
    async def board(self, info: Info) -> Board:
        board = await info.context.loaders.board_by_id.load(self.board_id)
        if board is None:
            raise LookupError("generation board missing")
        return Board.from_contract(board)

    @strawberry.field(description="Who ran the generation.")
    async def user(self, info: Info) -> User:
        user = await _user(info, self.user_id)
        if user is None:
            raise LookupError("generation user missing")
        return user

    @strawberry.field(description="The artifacts this generation was made from, with their roles.")
    async def input_artifacts(self, info: Info) -> list[ArtifactLineage]:
        edges = await info.context.loaders.inputs_by_generation.load(self.id)
        found = await info.context.loaders.generation_by_id.load_many([e[0] for e in edges])
        return [
            ArtifactLineage(
                generation_id=input_id, role=role,
                artifact_type=ArtifactType(g.artifact_type.value), generation=Generation.from_contract(g),
            )
            for (input_id, role, _), g in zip(edges, found, strict=True)
            if g is not None
        ]  # fmt: skip

    @strawberry.field(description="What this generation was made from, as a tree (parents), up to maxDepth.")
    async def ancestry(self, info: Info, max_depth: int = 25) -> AncestryNode:
        lineage = await info.context.services.generations.lineage(
            self.id, ancestors=True, max_depth=max_depth
        )
        return _tree(lineage, AncestryNode, ancestors=True)  # type: ignore[return-value]

    @strawberry.field(description="What was made from this generation, as a tree (children), up to maxDepth.")
    async def descendants(self, info: Info, max_depth: int = 25) -> DescendantNode:
        lineage = await info.context.services.generations.lineage(
            self.id, ancestors=False, max_depth=max_depth
        )
        return _tree(lineage, DescendantNode, ancestors=False)  # type: ignore[return-value]

    @strawberry.field(description="How many people like the generation.")
    async def like_count(self, info: Info) -> int:
        return await info.context.loaders.like_count.load(self.id)

    @strawberry.field(description="Whether you like the generation.")
    async def liked_by_me(self, info: Info) -> bool:
        return await info.context.loaders.liked_by_me.load(self.id)

    @strawberry.field(description="Tags on the generation.")
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_contract(t) for t in await info.context.loaders.tags_by_generation.load(self.id)]


@strawberry.type(name="GenerationFeed")
class GenerationFeed(GenerationFeedFields):
    items: list[Generation]  # type: ignore[assignment]  # the subclass with relation fields

    @classmethod
    def from_contract(cls, view: contracts.GenerationFeed) -> Self:
        return cls(items=[Generation.from_contract(g) for g in view.items], next_cursor=view.next_cursor)


@strawberry.type(name="ArtifactLineage")
class ArtifactLineage:
    generation_id: UUID
    role: str
    artifact_type: ArtifactType
    generation: Generation | None


@strawberry.type(name="AncestryNode")
class AncestryNode:
    generation: Generation
    depth: int
    role: str | None
    parents: list[AncestryNode]


@strawberry.type(name="DescendantNode")
class DescendantNode:
    generation: Generation
    depth: int
    role: str | None
    children: list[DescendantNode]


def _tree(lineage: contracts.Lineage, node_type: type, *, ancestors: bool) -> object:
    """Expand edges into a tree from the root; the depth bound of the SQL keeps it finite."""
    by_id = {g.id: Generation.from_contract(g) for g in lineage.generations}
    links: dict[UUID, list[tuple[UUID, str]]] = {}
    for edge in lineage.edges:
        start, end = (
            (edge.generation_id, edge.input_generation_id)
            if ancestors
            else (edge.input_generation_id, edge.generation_id)
        )
        links.setdefault(start, []).append((end, edge.role))
    key = "parents" if ancestors else "children"

    def build(node_id: UUID, depth: int, role: str | None, path: frozenset[UUID]) -> object:
        nested = [
            build(other, depth + 1, r, path | {other})
            for other, r in links.get(node_id, [])
            if other in by_id and other not in path
        ]
        return node_type(generation=by_id[node_id], depth=depth, role=role, **{key: nested})

    return build(lineage.root_id, 0, None, frozenset({lineage.root_id}))
