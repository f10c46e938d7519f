"""Queries read outside a transaction (no BEGIN/COMMIT round trips); mutations keep theirs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from litestar import Litestar
from sqlalchemy import event


@contextmanager
def transaction_states(app: Litestar) -> Iterator[list[bool]]:
    """For each statement the app ran: was its asyncpg connection inside a transaction (checked after it ran:
    the driver sends BEGIN lazily, with the first statement)?"""
    engine = app.state[app.state.alchemy.engine_app_state_key].sync_engine
    states: list[bool] = []

    def record(conn: Any, *_: Any) -> None:
        states.append(conn.connection.driver_connection.is_in_transaction())

    event.listen(engine, "after_cursor_execute", record)
    try:
        yield states
    finally:
        event.remove(engine, "after_cursor_execute", record)


async def test_a_query_reads_without_a_transaction(app: Litestar, client: httpx.AsyncClient) -> None:
    await client.post("/graphql", json={"query": "{ me { id } }"})  # the developer user exists first
    with transaction_states(app) as states:
        body = (
            await client.post("/graphql", json={"query": "{ me { id } myBoards { id } tags { id } }"})
        ).json()
    assert "errors" not in body, body
    assert states and not any(states), states


async def test_a_mutation_runs_in_one_transaction(app: Litestar, client: httpx.AsyncClient) -> None:
    with transaction_states(app) as states:
        body = (
            await client.post(
                "/graphql", json={"query": 'mutation { createBoard(input: {title: "t"}) { id } }'}
            )
        ).json()
    assert "errors" not in body, body
    assert states and all(states), states
