"""Search never returns a generation its caller cannot read, and returns every one they can: random boards,
owners, member roles, public flags, two tenants, anonymous callers and the public-reads setting, checked
against the permission policy itself (app.domain.policy.access_level) on the real database."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.contracts import GenerationSearchQuery
from app.db.stores.search import SqlSearchStore
from app.domain.actor import Actor
from app.domain.policy import Access, BoardRelation, access_level
from app.domain.search import SearchService
from tests.conftest import OTHER_TENANT, Servers

USERS_PER_TENANT = 3
ROLES = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class BoardSpec:
    tenant: int
    owner: int
    is_public: bool
    members: dict[int, str]


boards_st = st.builds(
    BoardSpec,
    tenant=st.integers(0, 1),
    owner=st.integers(0, USERS_PER_TENANT - 1),
    is_public=st.booleans(),
    members=st.dictionaries(st.integers(0, USERS_PER_TENANT - 1), st.sampled_from(ROLES), max_size=3),
)
caller_st = st.tuples(st.integers(0, 1), st.none() | st.integers(0, USERS_PER_TENANT - 1), st.booleans())


async def _insert(conn: AsyncConnection, sql: str, **values: Any) -> UUID:
    return UUID(str((await conn.execute(text(sql + " RETURNING id"), values)).scalar_one()))


async def _population(
    conn: AsyncConnection, specs: list[BoardSpec]
) -> tuple[list[UUID], list[list[UUID]], list[tuple[BoardSpec, UUID, list[UUID]]]]:
    tenants = [
        UUID(
            str(
                (await conn.execute(text("SELECT id FROM tenants WHERE slug = :s"), {"s": slug})).scalar_one()
            )
        )
        for slug in ("default", OTHER_TENANT)
    ]
    users = [
        [await _insert(conn, "INSERT INTO users (tenant_id, auth_provider, auth_subject) VALUES (:t, 'vis', :s)",
                       t=tenant, s=uuid.uuid4().hex) for _ in range(USERS_PER_TENANT)]
        for tenant in tenants
    ]  # fmt: skip
    made = []
    for spec in specs:
        tenant, people = tenants[spec.tenant], users[spec.tenant]
        board = await _insert(
            conn, "INSERT INTO boards (tenant_id, owner_id, title, is_public) VALUES (:t, :o, 'b', :p)",
            t=tenant, o=people[spec.owner], p=spec.is_public,
        )  # fmt: skip
        for member, role in spec.members.items():
            if member != spec.owner:
                await conn.execute(
                    text(
                        "INSERT INTO board_members (tenant_id, board_id, user_id, role) VALUES (:t, :b, :u, :r)"
                    ),
                    {"t": tenant, "b": board, "u": people[member], "r": role},
                )
        generations = [
            await _insert(
                conn,
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, input_params)"
                " VALUES (:t, :b, :u, 'local-image', 'image', CAST(:i AS jsonb))",
                t=tenant,
                b=board,
                u=people[spec.owner],
                i='{"prompt": "paper lantern festival"}',
            )
            for _ in range(2)
        ]
        made.append((spec, board, generations))
    return tenants, users, made


def _expected(
    actor: Actor, tenants: list[UUID], users: list[list[UUID]], made: list[Any], only: set[UUID] | None
) -> set[UUID]:
    readable: set[UUID] = set()
    for spec, board, generations in made:
        if tenants[spec.tenant] != actor.tenant_id or (only is not None and board not in only):
            continue
        role = None
        if actor.user_id is not None:
            people = users[spec.tenant]
            role = next(
                (r for m, r in spec.members.items() if people[m] == actor.user_id and m != spec.owner), None
            )
        relation = BoardRelation(board, users[spec.tenant][spec.owner], spec.is_public, role)
        if access_level(actor, relation) >= Access.READ:
            readable.update(generations)
    return readable


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(boards_st, min_size=1, max_size=6),
    caller=caller_st,
    q=st.sampled_from([None, "lantern", "lant", "ntern festival"]),
    board_filter=st.lists(st.integers(0, 5), max_size=3) | st.none(),
)
def test_search_shows_exactly_the_readable_rows(
    servers: Servers,
    other_tenant: str, specs: list[BoardSpec], caller: tuple[int, int | None, bool], q: str | None,
    board_filter: list[int] | None,
) -> None:  # fmt: skip
    async def run() -> None:
        engine = create_async_engine(servers.database_url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    tenants, users, made = await _population(conn, specs)
                    tenant_index, user_index, public_reads = caller
                    user = None if user_index is None else users[tenant_index][user_index]
                    actor = Actor(tenant_id=tenants[tenant_index], user_id=user, public_reads=public_reads)
                    only = None if board_filter is None else {made[i % len(made)][1] for i in board_filter}
                    query = GenerationSearchQuery(q=q, board_ids=sorted(only or []), limit=100)
                    store = SqlSearchStore(AsyncSession(bind=conn), actor.tenant_id)
                    hits = (await SearchService(store, actor).search(query)).items
                    found = {hit.generation.id for hit in hits}
                    assert found == _expected(actor, tenants, users, made, only or None)
                finally:
                    await transaction.rollback()
        finally:
            await engine.dispose()

    asyncio.run(run())
