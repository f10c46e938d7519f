"""Credits: reserve on create, capture on success, refund on failure or cancel; a clear 402 when short."""

from __future__ import annotations

import asyncio
import time
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

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
async def credit_http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app: Litestar = create_app(
        settings.model_copy(update={"credits_enabled": True, "queue_name": f"credits-{uuid4().hex[:6]}"})
    )
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        yield http


async def _grant(engine: AsyncEngine, user_id: str, amount: float) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO credit_ledger (tenant_id, user_id, kind, amount, reason)"
                " SELECT tenant_id, id, 'grant', :a, 'test grant' FROM users WHERE id = :u"
            ),
            {"a": amount, "u": user_id},
        )


async def _run(http: httpx.AsyncClient, board: str, **params: Any) -> httpx.Response:
    body = {
        "boardId": board,
        "generatorName": "atelier-test",
        "inputParams": {"duration_seconds": 0, **params},
    }
    return await http.post("/api/v1/generations", json=body)


async def _until(http: httpx.AsyncClient, generation_id: str, want: set[str]) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status: str = (await http.get(f"/api/v1/generations/{generation_id}")).json()["status"]
        if status in want:
            return status
        await asyncio.sleep(0.05)
    return "timeout"


async def _balance(http: httpx.AsyncClient) -> float:
    body = (await http.get("/api/v1/credits")).json()
    assert body["enabled"] is True
    return float(body["balance"])


async def test_reserve_capture_refund_and_402(credit_http: httpx.AsyncClient, engine: AsyncEngine) -> None:
    board = (await credit_http.post("/api/v1/boards", json={"title": "Paid"})).json()
    await _grant(engine, board["ownerId"], 1.0)
    assert await _balance(credit_http) == 1.0

    ok = await _run(credit_http, board["id"], cost=0.6)
    assert ok.status_code == 201
    assert await _balance(credit_http) == pytest.approx(0.4)  # reserved at once
    assert await _until(credit_http, ok.json()["id"], {"completed"}) == "completed"
    assert await _balance(credit_http) == pytest.approx(0.4)  # captured: the reservation stands

    short = await _run(credit_http, board["id"], cost=0.6)
    assert (short.status_code, short.json()["code"]) == (402, "BAD_USER_INPUT")
    assert "balance" in short.json()["detail"]

    failing = await _run(credit_http, board["id"], cost=0.3, fail="permanent")
    assert await _until(credit_http, failing.json()["id"], {"failed"}) == "failed"
    assert await _balance(credit_http) == pytest.approx(0.4)  # refunded

    slow = await _run(credit_http, board["id"], cost=0.2, duration_seconds=5, steps=50)
    await credit_http.post(f"/api/v1/generations/{slow.json()['id']}/cancel")
    assert await _balance(credit_http) == pytest.approx(0.4)  # refunded on cancel

    kinds = [e["kind"] for e in (await credit_http.get("/api/v1/credits/history")).json()]
    assert kinds.count("reserve") == 3 and kinds.count("refund") == 2 and kinds.count("capture") == 1
    body = (
        await credit_http.post("/graphql", json={"query": "{ creditBalance { enabled balance } }"})
    ).json()
    assert body["data"]["creditBalance"]["balance"] == pytest.approx(0.4)


async def test_credits_off_charge_nothing(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/credits")).json() == {"enabled": False, "balance": 0.0}
    board = (await client.post("/api/v1/boards", json={"title": "Free"})).json()
    assert (await _run(client, board["id"], cost=5)).status_code == 201
