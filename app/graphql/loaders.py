"""DataLoaders for one request: every relation field batches into ONE statement per kind, whatever the list
sizes, so an operation's statement count does not grow with the data (no N+1).

Loaders read through the same services and tenant-scoped stores as everything else, all built by app.wiring. Parent objects were
permission-checked when they were loaded, so the relations of a readable board are readable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from app.contracts import Board, BoardMember, Generation, Tag, User
from app.domain.actor import Actor
from app.wiring import Services, build_read_stores

PageKey = tuple[UUID, int, int]  # (board id, limit, offset)


class Loaders:
    def __init__(self, session: AsyncSession, actor: Actor, services: Services) -> None:
        stores = build_read_stores(session, actor)
        members, boards, tags = stores.members, stores.boards, stores.tags

        async def load_users(ids: Sequence[UUID]) -> list[User | None]:
            found = {user.id: user for user in await services.users.get_many(list(ids))}
            return [found.get(i) for i in ids]

        # A local, not self.user_by_id: a closure holding `self` would make the loaders a reference cycle, and
        # every request's loaded rows would then wait for the cyclic GC instead of being freed at once.
        user_by_id: DataLoader[UUID, User | None] = DataLoader(load_fn=load_users)

        async def load_members(board_ids: Sequence[UUID]) -> list[list[BoardMember]]:
            """Members with their users in one statement; the users prime user_by_id (member { user } is free)."""
            by_board: dict[UUID, list[BoardMember]] = {i: [] for i in board_ids}
            for member, user in await members.members_with_users(list(board_ids)):
                by_board[member.board_id].append(member)
                user_by_id.prime(user.id, services.users.shown(user))
            return [by_board[i] for i in board_ids]

        async def load_boards(ids: Sequence[UUID]) -> list[Board | None]:
            found = {board.id: board for board in await boards.get_many(list(ids))}
            return [found.get(i) for i in ids]

        async def load_generations(keys: Sequence[PageKey]) -> list[list[Generation]]:
            pages: dict[tuple[int, int], list[UUID]] = defaultdict(list)
            for board_id, limit, offset in keys:
                pages[(limit, offset)].append(board_id)
            results: dict[PageKey, list[Generation]] = {}
            for (limit, offset), board_ids in pages.items():  # one statement per distinct page shape
                found = await services.generations.for_readable_boards(board_ids, limit=limit, offset=offset)
                results.update({(b, limit, offset): found[b] for b in board_ids})
            return [results[key] for key in keys]

        async def load_counts(board_ids: Sequence[UUID]) -> list[int]:
            counts = await services.generations.counts_for_readable_boards(list(board_ids))
            return [counts[i] for i in board_ids]

        async def load_owned(user_ids: Sequence[UUID]) -> list[list[Board]]:
            found = await services.boards.owned_by(list(user_ids))
            return [found[i] for i in user_ids]

        async def load_member_boards(user_ids: Sequence[UUID]) -> list[list[Board]]:
            found = await services.boards.member_of(list(user_ids))
            return [found[i] for i in user_ids]

        async def load_tags(generation_ids: Sequence[UUID]) -> list[list[Tag]]:
            found = await tags.tags_of(list(generation_ids))
            return [found[i] for i in generation_ids]

        async def load_like_counts(generation_ids: Sequence[UUID]) -> list[int]:
            counts = await services.likes.counts(list(generation_ids))
            return [counts[i] for i in generation_ids]

        async def load_liked_by_me(generation_ids: Sequence[UUID]) -> list[bool]:
            mine = await services.likes.liked_by_me(list(generation_ids))
            return [i in mine for i in generation_ids]

        async def load_inputs(generation_ids: Sequence[UUID]) -> list[list[tuple[UUID, str, int]]]:
            found = await services.generations.inputs_of_readable(list(generation_ids))
            return [found[i] for i in generation_ids]

        async def load_generations_by_id(ids: Sequence[UUID]) -> list[Generation | None]:
            readable = await services.generations.readable(list(ids))
            return [readable.get(i) for i in ids]

        self.inputs_by_generation = DataLoader(load_fn=load_inputs)
        self.generation_by_id = DataLoader(load_fn=load_generations_by_id)
        self.like_count = DataLoader(load_fn=load_like_counts)
        self.liked_by_me = DataLoader(load_fn=load_liked_by_me)
        self.user_by_id = user_by_id
        self.members_by_board = DataLoader(load_fn=load_members)
        self.board_by_id = DataLoader(load_fn=load_boards)
        self.generations_by_board = DataLoader(load_fn=load_generations)
        self.generation_count_by_board = DataLoader(load_fn=load_counts)
        self.boards_by_owner = DataLoader(load_fn=load_owned)
        self.member_boards_by_user = DataLoader(load_fn=load_member_boards)
        self.tags_by_generation = DataLoader(load_fn=load_tags)
