"""Prepared statements (app/db/raw.py) run through SQLAlchemy's public AsyncConnection API on the session's own
connection and transaction, and return the same rows as the same statements run through the session."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.db.raw import _CONNECTION, STATEMENTS, Prepared, among
from app.db.refusals import refusal
from app.db.stores.generations import _NEWEST_PER_BOARD, generation_reader, generations
from tests.integration.db.seeding import owner_and_board


class Seed:
    def __init__(self, tenant: UUID, owner: UUID, member: UUID, board: UUID, ids: list[UUID]) -> None:
        self.tenant, self.owner, self.member, self.board, self.generations = tenant, owner, member, board, ids


async def _seed(session: AsyncSession, count: int = 3) -> Seed:
    tenant, owner, board = await owner_and_board(session)
    member = (
        await session.execute(
            text(
                "INSERT INTO users (tenant_id, auth_provider, auth_subject, display_name)"
                " VALUES (:t, 'db', :s, 'M') RETURNING id"
            ),
            {"t": tenant, "s": uuid4().hex},
        )
    ).scalar_one()
    await session.execute(
        text(
            "INSERT INTO board_members (tenant_id, board_id, user_id, role, invited_by)"
            " VALUES (:t, :b, :u, 'editor', :o)"
        ),
        {"t": tenant, "b": board, "u": member, "o": owner},
    )
    ids = []
    for i in range(count):
        files = [{"url": f"k/{i}-x.png", "key": f"k/{i}-x.png", "type": "image", "metadata": {"w": i}}]
        ids.append(
            (
                await session.execute(
                    text(
                        "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type,"
                        " status, progress, input_params, storage_key, additional_files) VALUES (:t, :b, :u, 'g',"
                        " 'image', :s, :progress, CAST(:p AS jsonb), :k, CAST(:f AS jsonb)) RETURNING id"
                    ),
                    {
                        "t": tenant,
                        "b": board,
                        "u": member if i % 2 else owner,
                        "s": ("pending", "completed", "failed")[i % 3],
                        "progress": 1.0 if i % 3 == 1 else 0.5,
                        "p": json.dumps({"i": i}),
                        "k": f"k/{i}.png" if i % 2 else None,
                        "f": json.dumps(files if i else []),
                    },
                )
            ).scalar_one()
        )
    return Seed(tenant, owner, member, board, ids)


# Parameters for every registered statement, on the seeded rows. A statement registered without an entry
# here fails test_every_prepared_statement_is_compared.
PARAMS: dict[str, Callable[[Seed], dict[str, Any]]] = {
    "users.by_id": lambda s: {"tenant": s.tenant, "ids": [s.owner, s.member, uuid4()]},
    "members.of_boards": lambda s: {"tenant": s.tenant, "board_ids": [s.board, uuid4()]},
    "members.with_users_of_boards": lambda s: {"tenant": s.tenant, "board_ids": [s.board]},
    "boards.with_relation": lambda s: {"tenant": s.tenant, "board_id": s.board, "user_id": s.member},
    "boards.relation": lambda s: {"tenant": s.tenant, "board_id": s.board, "user_id": s.member},
    "boards.by_id": lambda s: {"tenant": s.tenant, "ids": [s.board, uuid4()]},
    "generations.newest_per_board": lambda s: {"tenant": s.tenant, "board_ids": [s.board], "first": 1, "last": 3},
    "generations.by_id": lambda s: {"tenant": s.tenant, "ids": s.generations},
    "generations.count_per_board": lambda s: {"tenant": s.tenant, "board_ids": [s.board, uuid4()]},
    "generations.with_relation": lambda s: {
        "tenant": s.tenant, "generation_id": s.generations[1], "user_id": s.member,
    },
    "generations.insert_pending": lambda s: {
        "tenant_id": s.tenant, "board_id": s.board, "user_id": s.member, "generator_name": "g",
        "artifact_type": "image", "input_params": {"prompt": "p", "n": [1, {"x": None}]},
        "estimated_cost": Decimal("1.5"), "idempotency_key": "prepared", "phase": "queued",
        "batch_id": None, "batch_index": None,
    },
}  # fmt: skip


def _plain(value: Any) -> Any:
    """Enums as their values (the session path gives the models' enums, the driver text)."""
    return getattr(value, "value", value)


def test_every_prepared_statement_is_compared() -> None:
    assert sorted(PARAMS) == sorted(STATEMENTS)
    assert len(STATEMENTS) == 11


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("name", sorted(PARAMS))
async def test_a_prepared_statement_returns_the_rows_the_session_returns(
    engine: AsyncEngine, name: str
) -> None:
    prepared = STATEMENTS[name]
    async with AsyncSession(engine) as session:
        seed = await _seed(session)
        params = PARAMS[name](seed)
        found = await prepared.fetch(session, params)
        if prepared.writes:  # the session's run inserts a second row: its own idempotency key, another id
            params = {**params, "idempotency_key": "session"}
        result = await session.execute(prepared.statement, params)
        keys = tuple(result.keys())
        expected = [dict(zip(keys, map(_plain, row), strict=True)) for row in result.all()]
        await session.rollback()
    assert found.keys == keys
    rows = [dict(zip(found.keys, map(_plain, row), strict=True)) for row in found]
    assert rows, "compare on real rows"
    if prepared.writes:
        assert rows[0].pop("id") != expected[0].pop("id")
    assert rows == expected


@pytest.mark.usefixtures("clean_db")
async def test_prepared_reads_share_the_sessions_transaction_and_map_like_the_session(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session:
        seed = await _seed(session)  # uncommitted
        params = {"tenant": seed.tenant, "board_ids": [seed.board], "first": 0, "last": 50}
        found = await _NEWEST_PER_BOARD.fetch(session, params)
        result = await session.execute(_NEWEST_PER_BOARD.statement, params)
        assert len(found) == 3  # the prepared read sees the session's own uncommitted rows
        sign = "signed:{}".format
        session_read = generation_reader(tuple(result.keys()), sign)
        prepared = [generation_reader(found.keys, sign)(row) for row in found]
        assert prepared == [session_read(row) for row in result.all()]
        assert {g.storage_url for g in prepared} == {None, "signed:k/1.png"}
        assert {f.url for g in prepared for f in g.additional_files} == {
            "signed:k/1-x.png",
            "signed:k/2-x.png",
        }
        await session.rollback()
    async with AsyncSession(engine) as session:  # rolled back: nothing was committed behind the session
        assert len(await _NEWEST_PER_BOARD.fetch(session, params)) == 0


@pytest.mark.usefixtures("clean_db")
async def test_a_prepared_read_as_first_statement_opens_the_transaction(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session:
        await _NEWEST_PER_BOARD.fetch(session, {"tenant": uuid4(), "board_ids": [], "first": 0, "last": 1})
        driver = (await (await session.connection()).get_raw_connection()).driver_connection
        assert driver is not None and driver.is_in_transaction()


@pytest.mark.usefixtures("clean_db")
async def test_cursor_events_fire(engine: AsyncEngine) -> None:
    heard: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        heard.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", listen)
    try:
        async with AsyncSession(engine) as session:
            await _NEWEST_PER_BOARD.fetch(
                session, {"tenant": uuid4(), "board_ids": [], "first": 0, "last": 1}
            )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listen)
    assert heard == [_NEWEST_PER_BOARD.sql]


@pytest.mark.usefixtures("clean_db")
async def test_a_dropped_connection_is_a_disconnect_sqlalchemy_invalidates(engine: AsyncEngine) -> None:
    """Errors come through the adapter's translation: a killed backend is SQLAlchemy's DBAPIError with
    connection_invalidated set (what app/db/liveness.py and the 503 handler rely on)."""
    params = {"tenant": uuid4(), "board_ids": [], "first": 0, "last": 1}
    async with AsyncSession(engine) as session:
        await _NEWEST_PER_BOARD.fetch(session, params)
        pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        with pytest.raises(DBAPIError) as raised:
            await _NEWEST_PER_BOARD.fetch(session, params)
        assert raised.value.connection_invalidated
        await session.rollback()


def test_binds_are_checked_by_name() -> None:
    with pytest.raises(
        TypeError, match=r"unknown parameters \['board_id'\].*missing parameters \['board_ids'\]"
    ):
        _NEWEST_PER_BOARD.bind({"tenant": uuid4(), "board_id": [], "first": 0, "last": 1})
    with pytest.raises(TypeError, match=r"unknown parameters \['extra'\]"):
        _NEWEST_PER_BOARD.bind({"tenant": uuid4(), "board_ids": [], "first": 0, "last": 1, "extra": 1})


def test_expanding_lists_and_second_names_are_refused() -> None:
    with pytest.raises(ValueError, match="ANY"):
        Prepared("test.expanding", select(generations.c.id).where(generations.c.id.in_([uuid4(), uuid4()])))
    with pytest.raises(ValueError, match="exists already"):
        Prepared("users.by_id", select(generations.c.id))
    assert "test.expanding" not in STATEMENTS
    assert "ANY" in STATEMENTS["generations.by_id"].sql and among is not None


@pytest.mark.usefixtures("clean_db")
async def test_a_prepared_insert_runs_only_inside_the_sessions_transaction(engine: AsyncEngine) -> None:
    insert = STATEMENTS["generations.insert_pending"]
    async with AsyncSession(engine) as session:
        values = PARAMS["generations.insert_pending"](await _seed(session, 0))
        row = (await insert.fetch(session, values)).one_or_none()
        assert row is not None and row["input_params"] == {"prompt": "p", "n": [1, {"x": None}]}
        assert (await insert.fetch(session, values)).one_or_none() is None  # the same idempotency key
        await session.rollback()
    async with AsyncSession(engine) as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        with pytest.raises(RuntimeError, match="transaction"):
            await insert.fetch(session, values)
        assert (await session.execute(text("SELECT count(*) FROM generations"))).scalar_one() == 0


@pytest.mark.usefixtures("clean_db")
async def test_the_kept_connection_follows_the_sessions_transaction(engine: AsyncEngine) -> None:
    """The connection is kept per session transaction: after a commit the next prepared read asks the session
    again (the old connection went back to the pool) and runs in the new transaction."""
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
        driver = (await second[1].get_raw_connection()).driver_connection
        assert driver.is_in_transaction()


@pytest.mark.usefixtures("clean_db")
async def test_a_value_the_database_refuses_is_sqlalchemys_dbapi_error_with_its_sqlstate(
    engine: AsyncEngine,
) -> None:
    """A NUL in text is the caller's input (400 on both APIs through app.db.refusals), never a bare driver
    error that would answer 500."""
    insert = STATEMENTS["generations.insert_pending"]
    async with AsyncSession(engine) as session:
        values = {**PARAMS["generations.insert_pending"](await _seed(session, 0)), "generator_name": "g\x00"}
        with pytest.raises(DBAPIError) as raised:
            await insert.fetch(session, values)
        assert refusal(raised.value) == "invalid" and not raised.value.connection_invalidated
        await session.rollback()
