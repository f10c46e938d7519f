"""Rate limits per user (read, write and create budgets) and per tenant, shared through Redis: 429 problem
with Retry-After; polling pages never run into the write or create budgets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar

from app.auth.rate_limit import WINDOW_S
from app.settings import Settings
from tests.conftest import running, sign_up

pytestmark = pytest.mark.usefixtures("clean_db")
CREATE = """mutation Create($input: CreateGenerationInput!) { createGeneration(input: $input) { id } }"""


@asynccontextmanager
async def limited(
    local_settings: Settings, **limits: int
) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient]]:
    from app.server import create_app

    update: dict[str, Any] = {
        "rate_limit_read_per_minute": 1000,
        "rate_limit_user_per_minute": 1000,
        "rate_limit_create_per_minute": 1000,
        "rate_limit_tenant_per_minute": 1000,
        "rate_limit_namespace": f"rl:{uuid4()}",
        **limits,
    }
    app = create_app(local_settings.model_copy(update=update))
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        await _a_fresh_window()
        yield app, http


async def _a_fresh_window(at_least_s: float = 20.0) -> None:
    """Budgets are counted in fixed one-minute windows (app.auth.rate_limit): a test whose requests straddle
    a window's end sees its count start again and no 429 (seen on a loaded CI machine, where two sign-ups and
    six reads took seconds). Start each test with at least `at_least_s` of its window left."""
    left = WINDOW_S - time.time() % WINDOW_S
    if left < at_least_s:
        await asyncio.sleep(left + 0.05)


async def test_a_user_over_the_read_budget_gets_429_with_retry_after(local_settings: Settings) -> None:
    async with limited(local_settings, rate_limit_read_per_minute=5) as (_, http):
        user = await sign_up(http, "busy@example.com")  # a write (anonymous, keyed by address)
        statuses = [(await http.get("/api/v1/boards", headers=user["headers"])).status_code for _ in range(5)]
        assert statuses == [200] * 5
        limited_ = await http.get("/api/v1/boards", headers=user["headers"])
        assert limited_.status_code == 429
        assert limited_.headers["content-type"] == "application/problem+json"
        assert limited_.json()["code"] == "RATE_LIMITED"
        assert "read" in limited_.json()["detail"]
        assert 0 < int(limited_.headers["retry-after"]) <= 60
        graphql = await http.post("/graphql", json={"query": "{ me { id } }"}, headers=user["headers"])
        assert graphql.status_code == 429  # a GraphQL query spends the same read budget
        assert (await http.get("/health")).status_code == 200  # probes are never limited
        write = await http.post("/api/v1/boards", json={"title": "Still"}, headers=user["headers"])
        assert write.status_code == 201  # writes have their own budget
        other = await sign_up(http, "calm@example.com")
        assert (await http.get("/api/v1/boards", headers=other["headers"])).status_code == 200


async def test_polling_fifty_generations_every_two_seconds_stays_within_the_defaults(
    local_settings: Settings,
) -> None:
    """A page polling 50 generations every 2 s sends 1,500 reads a minute: under the default read budget,
    and reads never spend the write budget (the old single budget of 600 refused it within 24 s)."""
    defaults = Settings()
    async with limited(
        local_settings,
        rate_limit_read_per_minute=defaults.rate_limit_read_per_minute,
        rate_limit_user_per_minute=defaults.rate_limit_user_per_minute,
        rate_limit_tenant_per_minute=defaults.rate_limit_tenant_per_minute,
    ) as (_, http):
        user = await sign_up(http, "poller@example.com")
        board = (await http.post("/api/v1/boards", json={"title": "Poll"}, headers=user["headers"])).json()
        path = f"/api/v1/boards/{board['id']}"
        codes: set[int] = set()
        for _ in range(30):  # one minute of polling: 30 rounds of 50 reads
            for _ in range(50):
                response = await http.get(path, headers=user["headers"])
                codes.add(response.status_code)
        assert codes == {200}
        assert int(response.headers["ratelimit-remaining"]) == defaults.rate_limit_read_per_minute - 1500
        write = await http.post("/api/v1/boards", json={"title": "After"}, headers=user["headers"])
        assert write.status_code == 201


async def test_creating_generations_has_its_own_small_budget_in_both_apis(local_settings: Settings) -> None:
    async with limited(local_settings, rate_limit_create_per_minute=2) as (_, http):
        user = await sign_up(http, "maker@example.com")
        board = (await http.post("/api/v1/boards", json={"title": "Make"}, headers=user["headers"])).json()
        body = {"boardId": board["id"], "generatorName": "local-text", "inputParams": {"prompt": "hi"}}
        first = await http.post("/api/v1/generations", json=body, headers=user["headers"])
        second = await http.post(
            "/graphql", json={"query": CREATE, "variables": {"input": body}}, headers=user["headers"]
        )
        assert first.status_code == 201, first.text
        assert second.status_code == 200 and "errors" not in second.json(), second.text
        third = await http.post("/api/v1/generations", json=body, headers=user["headers"])
        assert third.status_code == 429
        assert "create" in third.json()["detail"]
        refused = await http.post(
            "/graphql", json={"query": CREATE, "variables": {"input": body}}, headers=user["headers"]
        )
        assert refused.status_code == 429
        other_write = await http.post("/api/v1/boards", json={"title": "Fine"}, headers=user["headers"])
        assert other_write.status_code == 201  # other writes are not creations
        assert (
            await http.get(f"/api/v1/generations/{first.json()['id']}", headers=user["headers"])
        ).is_success


async def test_the_tenant_limit_caps_all_its_users_together(local_settings: Settings) -> None:
    async with limited(local_settings, rate_limit_tenant_per_minute=6) as (_, http):
        first = await sign_up(http, "t1@example.com")
        second = await sign_up(http, "t2@example.com")
        codes = []
        for i in range(6):
            who = first if i % 2 else second
            codes.append((await http.get("/api/v1/boards", headers=who["headers"])).status_code)
        assert 429 in codes
