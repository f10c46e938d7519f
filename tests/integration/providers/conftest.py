"""Provider fakes on loopback and two apps wired to them: one polling, one receiving webhooks. Each app runs
its own in-process worker on its own queue (workers of different apps must not take each other's jobs)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from pydantic import SecretStr

from app.server import create_app
from app.settings import Settings
from tests.conftest import running
from tests.fakes import fal, openai, replicate
from tests.fakes.fal import FakeFal
from tests.fakes.openai import FakeOpenAI
from tests.fakes.replicate import FakeReplicate

PUBLIC_URL = "http://atelier.test"


@pytest.fixture(scope="session")
def fakes() -> Iterator[dict[str, Any]]:
    servers = {"replicate": FakeReplicate(), "fal": FakeFal(), "openai": FakeOpenAI()}
    for server in servers.values():
        server.start()
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def fake_replicate(fakes: dict[str, Any]) -> FakeReplicate:
    fakes["replicate"].reset()
    return fakes["replicate"]  # type: ignore[no-any-return]


@pytest.fixture
def fake_fal(fakes: dict[str, Any]) -> FakeFal:
    fakes["fal"].reset()
    return fakes["fal"]  # type: ignore[no-any-return]


@pytest.fixture
def fake_openai(fakes: dict[str, Any]) -> FakeOpenAI:
    fakes["openai"].reset()
    return fakes["openai"]  # type: ignore[no-any-return]


def provider_settings(settings: Settings, fakes: dict[str, Any], **extra: Any) -> Settings:
    return settings.model_copy(
        update={
            "replicate_api_token": SecretStr(replicate.TOKEN),
            "replicate_base_url": fakes["replicate"].url,
            "fal_key": SecretStr(fal.KEY),
            "fal_queue_url": fakes["fal"].url,
            "fal_jwks_url": fakes["fal"].url + "/.well-known/jwks.json",
            "openai_api_key": SecretStr(openai.KEY),
            "openai_base_url": fakes["openai"].url,
            "provider_poll_initial_seconds": 0.05,
            "provider_poll_max_seconds": 0.2,
            **extra,
        }
    )


@pytest.fixture(scope="session")
async def polling_app(settings: Settings, fakes: dict[str, Any]) -> AsyncIterator[Litestar]:
    async with running(create_app(provider_settings(settings, fakes, queue_name="atelier-poll"))) as app:
        yield app


@pytest.fixture(scope="session")
async def webhook_app(settings: Settings, fakes: dict[str, Any]) -> AsyncIterator[Litestar]:
    configured = provider_settings(
        settings, fakes, queue_name="atelier-hook", public_base_url=PUBLIC_URL,
        provider_webhook_poll_seconds=30.0,  # far longer than any test: only a webhook can finish in time
    )  # fmt: skip
    async with running(create_app(configured)) as app:
        yield app


@pytest.fixture
async def polling(polling_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=polling_app), base_url=PUBLIC_URL) as http:
        yield http


@pytest.fixture
async def hooked(webhook_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=webhook_app), base_url=PUBLIC_URL) as http:
        yield http


async def start(http: httpx.AsyncClient, generator: str, **params: Any) -> dict[str, Any]:
    board = (await http.post("/api/v1/boards", json={"title": f"{generator} board"})).json()
    response = await http.post(
        "/api/v1/generations",
        json={"boardId": board["id"], "generatorName": generator, "inputParams": params},
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def wait_for(
    http: httpx.AsyncClient, generation_id: str, statuses: set[str], within_s: float = 10,
    min_progress: float = 0.0, **fields: Any,
) -> dict[str, Any]:  # fmt: skip
    """The generation once its status is one of `statuses`, with the given fields set and at least that
    progress (fails when that does not happen in time)."""
    deadline = time.monotonic() + within_s
    while True:
        body: dict[str, Any] = (await http.get(f"/api/v1/generations/{generation_id}")).json()
        assert all(k in body for k in fields), body
        ready = body["status"] in statuses and all(body[k] is not None for k in fields)
        if ready and body["progress"] >= min_progress:
            return body
        assert time.monotonic() < deadline, f"still {body['status']} after {within_s} s: {body}"
        await asyncio.sleep(0.03)


async def eventually(check: Any, within_s: float = 5) -> None:
    deadline = time.monotonic() + within_s
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
