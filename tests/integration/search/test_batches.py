"""Batches of variations through REST and GraphQL: count, seeds, sweeps; one idempotency key; cancel and
regenerate as a whole; and, with credits on, one balance check for the whole batch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.server import create_app
from app.settings import Settings
from tests.conftest import running
from tests.integration.search.drivers import ApiError, SearchRest, ids_of


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM generations"))).scalar_one())


async def test_count_seeds_and_sweep(search_api: Any, board: dict[str, Any], engine: AsyncEngine) -> None:
    base = {"boardId": board["id"], "generatorName": "local-image"}
    made = await search_api.create_batch(**base, inputParams={"prompt": "kite", "seed": 5}, count=3)
    assert [g["batchIndex"] for g in made["items"]] == [0, 1, 2]
    assert {g["batchId"] for g in made["items"]} == {made["batchId"]}
    assert [g["inputParams"]["seed"] for g in made["items"]] == [5, 6, 7]

    seeded = await search_api.create_batch(**base, inputParams={"prompt": "kite"}, seeds=[11, 3])
    assert [g["inputParams"]["seed"] for g in seeded["items"]] == [11, 3]
    swept = await search_api.create_batch(**base, inputParams={"prompt": "kite"}, sweep={"shapes": [1, 2, 3]})
    assert sorted(g["inputParams"]["shapes"] for g in swept["items"]) == [1, 2, 3]

    stacked = await search_api.search(batchId=made["batchId"], sort="newest")
    assert set(ids_of(stacked)) == {g["id"] for g in made["items"]}
    fetched = (await search_api.batch(made["batchId"]))["items"]
    assert [g["id"] for g in fetched] == [g["id"] for g in made["items"]]


async def test_one_key_one_batch(search_api: Any, board: dict[str, Any], engine: AsyncEngine) -> None:
    body = {"boardId": board["id"], "generatorName": "local-image", "inputParams": {"prompt": "kite"},
            "seeds": [1, 2], "idempotencyKey": "batch-key-1"}  # fmt: skip
    first = await search_api.create_batch(**body)
    before = await _count(engine)
    again = await search_api.create_batch(**body)
    assert again["batchId"] == first["batchId"]
    assert [g["id"] for g in again["items"]] == [g["id"] for g in first["items"]]
    assert await _count(engine) == before
    with pytest.raises(ApiError) as conflict:
        await search_api.create_batch(**{**body, "generatorName": "local-text"})
    assert conflict.value.code == "CONFLICT"


async def test_bad_batches_create_nothing(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine
) -> None:
    base = {"boardId": board["id"], "generatorName": "local-image", "inputParams": {"prompt": "kite"}}
    for extra in ({}, {"count": 17}, {"count": 2, "seeds": [1]}, {"sweep": {"shapes": list(range(1, 18))}},
                  {"seeds": [1, -5]}):  # fmt: skip
        with pytest.raises(ApiError) as refused:
            await search_api.create_batch(**base, **extra)
        assert refused.value.code == "BAD_USER_INPUT", extra
    assert await _count(engine) == 0  # a bad variation (seed -5) refuses the whole batch
    with pytest.raises(ApiError) as missing:
        await search_api.batch(str(uuid4()))
    assert missing.value.code == "NOT_FOUND"


async def test_cancel_and_regenerate_a_batch(search_api: Any, board: dict[str, Any]) -> None:
    made = await search_api.create_batch(
        boardId=board["id"], generatorName="atelier-test", inputParams={"duration_seconds": 600}, count=2
    )
    cancelled = await search_api.batch(made["batchId"], "cancel")
    assert [g["status"] for g in cancelled["items"]] == ["cancelled", "cancelled"]
    again = await search_api.batch(made["batchId"], "regenerate")
    assert again["batchId"] != made["batchId"]
    assert [g["inputParams"] for g in again["items"]] == [g["inputParams"] for g in made["items"]]
    await search_api.batch(again["batchId"], "cancel")


@pytest.fixture
async def credit_http(settings: Settings, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    app: Litestar = create_app(
        settings.model_copy(update={"credits_enabled": True, "queue_name": f"batch-{uuid4().hex[:6]}"})
    )
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        yield http


async def test_the_whole_batch_must_be_affordable(
    credit_http: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    board = (await credit_http.post("/api/v1/boards", json={"title": "Costly"})).json()
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO credit_ledger (tenant_id, user_id, kind, amount, reason)"
                 " SELECT tenant_id, id, 'grant', 5, 'test grant' FROM users WHERE id = :u"),
            {"u": board["ownerId"]},
        )  # fmt: skip
    api = SearchRest(credit_http)
    body = {"boardId": board["id"], "generatorName": "atelier-test",
            "inputParams": {"duration_seconds": 600, "cost": 2}}  # fmt: skip
    with pytest.raises(ApiError) as short:
        await api.create_batch(**body, count=3)  # 6 credits > 5: none of the three is created
    assert short.value.status == 402
    assert await _count(engine) == 0
    made = await api.create_batch(**body, count=2)
    balance = (await credit_http.get("/api/v1/credits")).json()
    assert balance["balance"] == 1
    await api.batch(made["batchId"], "cancel")
