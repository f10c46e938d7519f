"""The seeded server both Boards compatibility suites send documents to.

The seed: Ada (the tenant's admin) owns a public board with one generation and one tag on it; Bob is an editor
of the board; a local origin serves a PNG for uploadArtifact (the one address the app may fetch from).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar import Litestar

from app.auth.tokens import LocalTokenIssuer
from app.server import create_app
from app.settings import Settings
from tests.conftest import AUTH_SECRET, running, sign_up
from tests.integration.uploads.conftest import Origin, png

Seed = dict[str, Any]


def _admin(user: dict[str, Any]) -> dict[str, str]:
    """Ada as the tenant's admin: tags are tenant-wide, and Boards lets its users edit and delete them."""
    payload = user["session"]["accessToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    token, _ = LocalTokenIssuer(AUTH_SECRET).issue_access(
        UUID(user["id"]), UUID(claims["tid"]), is_admin=True, email=user["email"]
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def boards_origin() -> Iterator[Origin]:
    server = Origin()
    server.files["pic.png"] = (png(), "image/png")
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(scope="session")
async def boards_app(local_settings: Settings, boards_origin: Origin) -> AsyncIterator[Litestar]:
    settings = local_settings.model_copy(update={"upload_fetch_allow": [f"127.0.0.1:{boards_origin.port}"]})
    async with running(create_app(settings)) as application:
        yield application


@pytest.fixture
async def seeded(boards_app: Litestar, clean_db: None) -> AsyncIterator[tuple[httpx.AsyncClient, Seed]]:
    transport = httpx.ASGITransport(app=boards_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as http:
        ada, bob = await sign_up(http, "ada@example.com"), await sign_up(http, "bob@example.com")
        http.headers.update(_admin(ada))
        board = (await http.post("/api/v1/boards", json={"title": "Lighthouses", "isPublic": True})).json()
        generation = await http.post(
            "/api/v1/generations",
            json={"boardId": board["id"], "generatorName": "atelier-test", "inputParams": {"text": "beam"}},
        )
        tag = (await http.post("/api/v1/tags", json={"name": "Night sky"})).json()
        await http.post(f"/api/v1/generations/{generation.json()['id']}/tags", json={"tagId": tag["id"]})
        member = {"userId": bob["id"], "role": "editor"}
        assert (await http.post(f"/api/v1/boards/{board['id']}/members", json=member)).status_code == 201
        yield http, {
            "me": ada["id"], "bob": bob["id"], "board": board["id"], "generation": generation.json()["id"],
            "tag": tag["id"], "slug": tag["slug"],
        }  # fmt: skip
