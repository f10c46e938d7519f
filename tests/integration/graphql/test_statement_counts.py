"""No N+1: an operation runs the same number of SQL statements whatever the list sizes (DataLoaders)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import httpx
from litestar import Litestar
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

GET_BOARD = """
query GetBoard($id: UUID!) {
  board(id: $id) {
    id title description isPublic settings metadata createdAt updatedAt
    owner { id displayName email }
    members { id role joinedAt user { id displayName } inviter { id displayName } }
    generationCount
    generations(limit: 50) {
      id boardId userId generatorName artifactType storageUrl thumbnailUrl
      additionalFiles { url type metadata } inputParams outputMetadata externalJobId
      status progress errorMessage startedAt completedAt createdAt updatedAt
      board { id title } user { id displayName } tags { id name slug }
    }
  }
}
"""
MY_BOARDS = "{ myBoards(limit: 20) { id title owner { id displayName } generationCount members { role } } }"


@contextmanager
def counting(app: Litestar) -> Iterator[list[str]]:
    """Every statement the app's engine executes while the block runs."""
    engine = app.state[app.state.alchemy.engine_app_state_key].sync_engine
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _seed_board(engine: AsyncEngine, owner: UUID, members: int, generations: int) -> UUID:
    params = json.dumps({"prompt": "a lighthouse at dusk, oil on canvas " * 4, "seed": 7, "width": 1024})
    async with engine.begin() as conn:
        tenant = (
            await conn.execute(text("SELECT tenant_id FROM users WHERE id = :u"), {"u": owner})
        ).scalar_one()
        board = (
            await conn.execute(
                text(
                    "INSERT INTO boards (tenant_id, owner_id, title) VALUES (:t, :o, 'seeded') RETURNING id"
                ),
                {"t": tenant, "o": owner},
            )
        ).scalar_one()
        for i in range(members):
            user = (
                await conn.execute(
                    text(
                        "INSERT INTO users (tenant_id, auth_provider, auth_subject, display_name) "
                        "VALUES (:t, 'seed', :s, :s) RETURNING id"
                    ),
                    {"t": tenant, "s": f"member-{board}-{i}"},
                )
            ).scalar_one()
            await conn.execute(
                text(
                    "INSERT INTO board_members (tenant_id, board_id, user_id, role, invited_by) VALUES (:t, :b, :u, 'editor', :o)"
                ),
                {"t": tenant, "b": board, "u": user, "o": owner},
            )
        await conn.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status, "
                "progress, input_params, completed_at) SELECT :t, :b, :o, 'local-image', 'image', 'completed', 1, "
                "CAST(:p AS jsonb), now() FROM generate_series(1, :n)"
            ),
            {"t": tenant, "b": board, "o": owner, "p": params, "n": generations},
        )
    return UUID(str(board))


async def _developer(client: httpx.AsyncClient) -> UUID:
    me = (await client.post("/graphql", json={"query": "{ me { id } }"})).json()
    return UUID(me["data"]["me"]["id"])


async def _run(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_get_board_runs_the_same_statements_at_5_and_50_generations(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    owner = await _developer(client)
    small = await _seed_board(engine, owner, members=1, generations=5)
    large = await _seed_board(engine, owner, members=3, generations=50)
    counts = []
    for board in (small, large):
        with counting(app) as statements:
            data = await _run(client, GET_BOARD, id=str(board))
        counts.append(len(statements))
        assert data["board"]["generationCount"] == len(data["board"]["generations"])
    print(f"GetBoard statements at 5 and 50 generations: {counts}")
    assert counts[0] == counts[1], counts
    # board with access and owner, members with their users (which also serves inviter), generations,
    # count, tags (and the users loader for generation authors other than those already read)
    assert counts[1] <= 6, counts


async def test_my_boards_runs_the_same_statements_at_2_and_20_boards(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    owner = await _developer(client)
    counts = []
    for total in (2, 20):
        while len((await _run(client, MY_BOARDS))["myBoards"]) < total:
            await _seed_board(engine, owner, members=2, generations=3)
        with counting(app) as statements:
            data = await _run(client, MY_BOARDS)
        assert len(data["myBoards"]) == total
        counts.append(len(statements))
    print(f"myBoards statements at 2 and 20 boards: {counts}")
    assert counts[0] == counts[1], counts


async def test_generation_with_board_and_user_reads_the_board_with_the_generation(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """The permission read joins the board and the author, so `board { … }` and `user { … }` cost no
    statement of their own."""
    owner = await _developer(client)
    board = await _seed_board(engine, owner, members=1, generations=1)
    generation = (
        await _run(client, "query($id: UUID!) { board(id: $id) { generations { id } } }", id=str(board))
    )["board"]["generations"][0]["id"]
    query = "query($id: UUID!) { generation(id: $id) { id board { id title } user { id } } }"
    with counting(app) as statements:
        data = await _run(client, query, id=generation)
    assert data["generation"]["board"] == {"id": str(board), "title": "seeded"}
    assert data["generation"]["user"] == {"id": str(owner)}
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1, reads  # the generation with its board, access and author
