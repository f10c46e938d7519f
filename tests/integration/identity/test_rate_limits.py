"""Rate limits per user and per tenant, shared through Redis: 429 problem with Retry-After."""

from __future__ import annotations

from uuid import uuid4

import httpx
import pytest

from app.settings import Settings
from tests.conftest import running, sign_up

pytestmark = pytest.mark.usefixtures("clean_db")


async def test_a_user_over_the_limit_gets_429_with_retry_after(local_settings: Settings) -> None:
    from app.server import create_app

    settings = local_settings.model_copy(
        update={
            "rate_limit_user_per_minute": 5,
            "rate_limit_tenant_per_minute": 1000,
            "rate_limit_namespace": f"rl:{uuid4()}",
        }
    )
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        user = await sign_up(http, "busy@example.com")  # request 1 (anonymous, keyed by address)
        statuses = [(await http.get("/api/v1/boards", headers=user["headers"])).status_code for _ in range(6)]
        assert statuses[:5] == [200] * 5
        limited = await http.get("/api/v1/boards", headers=user["headers"])
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        assert limited.json()["code"] == "RATE_LIMITED"
        assert int(limited.headers["retry-after"]) > 0
        graphql = await http.post("/graphql", json={"query": "{ me { id } }"}, headers=user["headers"])
        assert graphql.status_code == 429  # one budget for both APIs
        assert (await http.get("/health")).status_code == 200  # probes are never limited
        other = await sign_up(http, "calm@example.com")
        assert (await http.get("/api/v1/boards", headers=other["headers"])).status_code == 200


async def test_the_tenant_limit_caps_all_its_users_together(local_settings: Settings) -> None:
    from app.server import create_app

    settings = local_settings.model_copy(
        update={
            "rate_limit_user_per_minute": 1000,
            "rate_limit_tenant_per_minute": 6,
            "rate_limit_namespace": f"rl:{uuid4()}",
        }
    )
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        first = await sign_up(http, "t1@example.com")
        second = await sign_up(http, "t2@example.com")
        codes = []
        for i in range(6):
            who = first if i % 2 else second
            codes.append((await http.get("/api/v1/boards", headers=who["headers"])).status_code)
        assert 429 in codes
