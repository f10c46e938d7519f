"""Raw reads (app/db/raw.py) run on the session's own connection and transaction, and map to the same
contracts as the same statements run through the session."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.db.raw import RawRead, among
from app.db.stores.generations import _NEWEST_PER_BOARD, generations, to_generation
from tests.integration.db.seeding import owner_and_board


async def _board_with_generations(session: AsyncSession, count: int) -> tuple[object, object]:
    tenant, user, board = await owner_and_board(session)
    for i in range(count):
        await session.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                " input_params, storage_key) VALUES (:t, :b, :u, 'g', 'image', 'pending', CAST(:p AS jsonb), :k)"
            ),
            {
                "t": tenant,
                "b": board,
                "u": user,
                "p": json.dumps({"i": i}),
                "k": f"k/{i}.png" if i % 2 else None,
            },
        )
    return tenant, board


@pytest.mark.usefixtures("clean_db")
async def test_raw_read_shares_the_sessions_transaction_and_maps_like_the_session(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session:
        tenant, board = await _board_with_generations(session, 3)  # uncommitted
        params = {"tenant": tenant, "board_ids": [board], "first": 0, "last": 50}
        raw_rows = await _NEWEST_PER_BOARD.fetch(session, params)
        orm_rows = (await session.execute(_NEWEST_PER_BOARD.statement, params)).all()
        assert len(raw_rows) == 3  # the raw read sees the session's own uncommitted rows
        sign = "signed:{}".format
        assert [to_generation(r, sign) for r in raw_rows] == [to_generation(r, sign) for r in orm_rows]
        assert {to_generation(r, sign).storage_url for r in raw_rows} == {None, "signed:k/1.png"}
        await session.rollback()
    async with AsyncSession(engine) as session:  # rolled back: nothing was committed behind the session
        assert await _NEWEST_PER_BOARD.fetch(session, params) == []


@pytest.mark.usefixtures("clean_db")
async def test_raw_read_as_first_statement_opens_the_transaction(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session:
        await _NEWEST_PER_BOARD.fetch(session, {"tenant": uuid4(), "board_ids": [], "first": 0, "last": 1})
        driver = (await (await session.connection()).get_raw_connection()).driver_connection
        assert driver is not None and driver.is_in_transaction()


def test_expanding_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="ANY"):
        RawRead(select(generations.c.id).where(generations.c.id.in_([uuid4(), uuid4()])))
    assert "ANY" in RawRead(select(generations.c.id).where(among(generations.c.id, "ids"))).sql


@pytest.mark.usefixtures("clean_db")
async def test_a_raw_insert_runs_only_inside_the_sessions_transaction(engine: AsyncEngine) -> None:
    from app.db.stores.generations import _INSERT_PENDING

    async with AsyncSession(engine) as session:
        tenant, board = await _board_with_generations(session, 0)
        user = (
            await session.execute(text("SELECT owner_id FROM boards WHERE id = :b"), {"b": board})
        ).scalar_one()
        values = {
            "tenant_id": tenant, "board_id": board, "user_id": user, "generator_name": "g",
            "artifact_type": "image", "input_params": {"prompt": "p", "n": [1]}, "estimated_cost": 0,
            "idempotency_key": "k", "phase": "queued", "batch_id": None, "batch_index": None,
        }  # fmt: skip
        row = await _INSERT_PENDING.fetchrow(session, values)
        assert row is not None and row["input_params"] == {"prompt": "p", "n": [1]}
        assert await _INSERT_PENDING.fetchrow(session, values) is None  # the same idempotency key
        await session.rollback()
    async with AsyncSession(engine) as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        with pytest.raises(RuntimeError, match="transaction"):
            await _INSERT_PENDING.fetchrow(session, values)
        assert (await session.execute(text("SELECT count(*) FROM generations"))).scalar_one() == 0


@pytest.mark.usefixtures("clean_db")
async def test_the_kept_connection_follows_the_sessions_transaction(engine: AsyncEngine) -> None:
    """The connection is kept per session transaction: after a commit the next raw read asks the session
    again (the old connection went back to the pool) and runs in the new transaction."""
    from app.db.raw import _CONNECTION

    params = {"tenant": uuid4(), "board_ids": [uuid4()], "first": 0, "last": 1}
    async with AsyncSession(engine) as session:
        await _NEWEST_PER_BOARD.fetch(session, params)
        first = session.info[_CONNECTION]
        assert first[0]() is session.sync_session.get_transaction()
        await session.commit()
        assert first[0]() is None or not first[0]().is_active
        await _NEWEST_PER_BOARD.fetch(session, params)
        second = session.info[_CONNECTION]
        assert second[0]() is session.sync_session.get_transaction() and second[0]() is not first[0]()
        assert second[2].driver_connection.is_in_transaction()
