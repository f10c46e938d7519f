"""Pooled connections the server closed are replaced at checkout, with no pre-ping round trip."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

TERMINATE_OTHERS = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
)


async def test_requests_survive_the_server_closing_every_pooled_connection(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    for _ in range(3):  # fill the pool with a few connections
        assert (await client.get("/api/v1/boards")).status_code == 200
    async with engine.connect() as conn:
        terminated = (await conn.execute(TERMINATE_OTHERS)).all()
    assert terminated, "the app's pooled connections should have been there to terminate"
    await asyncio.sleep(0.2)  # the event loop reads each socket's EOF

    for _ in range(5):
        rest = await client.get("/api/v1/boards")
        assert rest.status_code == 200, rest.text
        gql = await client.post("/graphql", json={"query": "{ me { id } myBoards { id } }"})
        assert gql.status_code == 200 and "errors" not in gql.json(), gql.text
