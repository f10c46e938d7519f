"""The built page is served at / and /assets/* only: API routes keep their own answers, and a missing
build gives a page that says how to build it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.server import create_app
from app.settings import Settings
from codegen.exports import OPENAPI
from tests.conftest import running


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>'
    )
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log('atelier')")
    (tmp_path / "assets" / "app-1a2b.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("not an asset")
    return tmp_path


async def _client(settings: Settings, web_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        running(
            create_app(settings.model_copy(update={"web_dir": web_dir, "worker_in_process": False}))
        ) as app,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://atelier.test") as http,
    ):
        yield http


@pytest.fixture
async def http(settings: Settings, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(settings, dist):
        yield client


async def test_index_and_assets_are_served(http: httpx.AsyncClient) -> None:
    index = await http.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/assets/app-1a2b.js">' in index.text
    assert index.headers["cache-control"] == "no-cache"  # a new build is picked up at once
    script = await http.get("/assets/app-1a2b.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")  # module scripts need a JS type
    assert "immutable" in script.headers["cache-control"]
    assert (await http.get("/assets/app-1a2b.css")).headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    "path", ["/verify-email?token=abc", "/reset-password?token=abc", "/invitations/accept"]
)
async def test_mailed_links_open_the_page(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/assets/app-1a2b.js" in response.text  # the page, which posts the token to the API


@pytest.mark.parametrize(
    "path", ["/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/nope.js", "/secret.txt"]
)
async def test_nothing_outside_assets_is_served(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 404
    assert "not an asset" not in response.text


async def test_api_routes_are_not_shadowed(http: httpx.AsyncClient) -> None:
    assert (await http.get("/health")).json() == {"status": "ok"}
    assert (await http.get("/ready")).status_code == 200
    assert (await http.get("/api/v1/generators")).status_code == 200
    assert (await http.post("/graphql", json={"query": "{ __typename }"})).json() == {
        "data": {"__typename": "Query"}
    }
    assert (await http.get("/schema/openapi.json")).status_code == 200
    unknown = await http.get("/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")  # not the page


async def test_missing_build_explains_how_to_build_it(settings: Settings, tmp_path: Path) -> None:
    async for http in _client(settings, tmp_path / "not-built"):
        response = await http.get("/")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "make run" in response.text and "/graphql" in response.text
        assert (await http.get("/health")).status_code == 200


def test_page_routes_stay_out_of_the_openapi_document() -> None:
    paths = json.loads(OPENAPI.read_text())["paths"]
    assert "/" not in paths
    assert "/verify-email" not in paths
    assert not any(path.startswith("/assets") for path in paths)
