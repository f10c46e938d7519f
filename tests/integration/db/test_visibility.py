"""The READ rule has two renderings (policy.access_level in Python, visibility.readable_boards in SQL): they
must agree on every combination of board visibility, caller relation and deployment setting."""

from __future__ import annotations

import itertools
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.stores.boards import boards as boards_table
from app.db.stores.boards import members as members_table
from app.db.stores.visibility import readable_boards
from app.domain.actor import Actor
from app.domain.policy import Access, BoardRelation, access_level

RELATIONS = ["owner", "viewer", "editor", "admin", "stranger", "anonymous"]
CASES = list(itertools.product([False, True], RELATIONS, [False, True]))


@pytest.mark.usefixtures("clean_db")
async def test_sql_visibility_matches_the_policy(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        tenant = (await conn.execute(text("SELECT id FROM tenants WHERE slug = 'default'"))).scalar_one()

        async def user() -> UUID:
            stmt = text(
                "INSERT INTO users (tenant_id, auth_provider, auth_subject) VALUES (:t, 'v', :s) RETURNING id"
            )
            return UUID(str((await conn.execute(stmt, {"t": tenant, "s": uuid4().hex})).scalar_one()))

        owner, stranger = await user(), await user()
        role_users = {role: await user() for role in ("viewer", "editor", "admin")}
        board_ids = {}
        for is_public in (False, True):
            board = (
                await conn.execute(
                    text(
                        "INSERT INTO boards (tenant_id, owner_id, title, is_public) VALUES (:t, :o, 'b', :p) RETURNING id"
                    ),
                    {"t": tenant, "o": owner, "p": is_public},
                )
            ).scalar_one()
            board_ids[is_public] = board
            for role, member in role_users.items():
                await conn.execute(
                    text(
                        "INSERT INTO board_members (tenant_id, board_id, user_id, role) VALUES (:t, :b, :u, :r)"
                    ),
                    {"t": tenant, "b": board, "u": member, "r": role},
                )
        callers: dict[str, UUID | None] = {
            "owner": owner,
            "stranger": stranger,
            "anonymous": None,
            **role_users,
        }
        for is_public, relation, public_reads in CASES:
            viewer = callers[relation]
            stmt = select(boards_table.c.id).where(
                boards_table.c.id == board_ids[is_public],
                readable_boards(boards_table, members_table, viewer, public_reads=public_reads),
            )
            in_sql = (await conn.execute(stmt)).first() is not None
            actor = Actor(tenant_id=tenant, user_id=viewer, public_reads=public_reads)
            role = relation if relation in role_users else None
            facts = BoardRelation(
                board_id=board_ids[is_public], owner_id=owner, is_public=is_public, member_role=role
            )
            in_policy = access_level(actor, facts) >= Access.READ
            assert in_sql == in_policy, (is_public, relation, public_reads)
