"""Every operation a Boards web client sends (tests/compat/boards_client.py), against a seeded Atelier: each
document validates against the served schema and answers data without errors, as it would from Boards.

The seed: Ada owns a public board with one generation and one tag on it; Bob is an editor of the board; a
local origin serves a PNG for uploadArtifact (the one address the app may fetch from).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from uuid import UUID

import httpx
import pytest
from graphql import build_schema, parse, validate
from litestar import Litestar

from app.auth.tokens import LocalTokenIssuer
from app.graphql.schema import schema
from app.server import create_app
from app.settings import Settings
from tests.compat.boards_client import OPERATIONS, document
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


def _variables(s: Seed) -> dict[str, Callable[[], dict[str, Any]]]:
    generation, board, tag = s["generation"], s["board"], s["tag"]
    return {
        "GetMe": dict,
        "GetUser": lambda: {"id": s["bob"]},
        "GetBoard": lambda: {"id": board},
        "GetMyBoards": lambda: {"limit": 10, "offset": 0, "role": "ANY", "sort": "UPDATED_DESC"},
        "GetPublicBoards": lambda: {"limit": 10, "offset": 0, "sort": "CREATED_DESC"},
        "SearchBoards": lambda: {"query": "light", "limit": 10, "offset": 0},
        "GetGeneration": lambda: {"id": generation},
        "GetRecentGenerations": lambda: {"boardId": board, "status": "PENDING", "artifactType": "TEXT"},
        "GetGenerators": lambda: {"artifactType": "image"},
        "GetTags": lambda: {"limit": 100, "offset": 0},
        "GetTag": lambda: {"id": tag},
        "GetTagBySlug": lambda: {"slug": s["slug"]},
        "CreateBoard": lambda: {
            "input": {"title": "New", "description": "d", "isPublic": False, "settings": {}}
        },
        "UpdateBoard": lambda: {"input": {"id": board, "title": "Renamed", "isPublic": False}},
        "DeleteBoard": lambda: {"id": board},
        "AddBoardMember": lambda: {"input": {"boardId": board, "userId": s["carol"], "role": "VIEWER"}},
        "AddBoardMemberFlat": lambda: {"boardId": board, "userId": s["carol"], "role": "VIEWER"},
        "ListGenerations": lambda: {"boardId": board, "limit": 10, "offset": 0},
        "RetryGeneration": lambda: {"id": generation},
        "RemoveBoardMember": lambda: {"boardId": board, "userId": s["bob"]},
        "UpdateBoardMemberRole": lambda: {"boardId": board, "userId": s["bob"], "role": "ADMIN"},
        "CreateGeneration": lambda: {
            "input": {
                "boardId": board,
                "generatorName": "atelier-test",
                "artifactType": "TEXT",
                "inputParams": {"text": "again"},
            }
        },
        "CancelGeneration": lambda: {"id": generation},
        "DeleteGeneration": lambda: {"id": generation},
        "Regenerate": lambda: {"id": generation},
        "UploadArtifact": lambda: {
            "input": {
                "boardId": board,
                "artifactType": "IMAGE",
                "fileUrl": s["origin"],
                "originalFilename": "pic.png",
                "userDescription": "a picture",
                "parentGenerationId": generation,
            }
        },
        "CreateTag": lambda: {"input": {"name": "Sunset", "description": "warm"}},
        "UpdateTag": lambda: {"input": {"id": tag, "name": "Night skies"}},
        "DeleteTag": lambda: {"id": tag},
        "AddTagToGeneration": lambda: {"generationId": generation, "tagId": s["new_tag"]},
        "RemoveTagFromGeneration": lambda: {"generationId": generation, "tagId": tag},
    }


def test_every_document_is_valid_against_the_served_schema() -> None:
    served = build_schema(schema.as_str())
    invalid = {name: validate(served, parse(document(name))) for name in OPERATIONS}
    assert {name: errors for name, errors in invalid.items() if errors} == {}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
async def test_boards_operation(
    name: str, seeded: tuple[httpx.AsyncClient, Seed], boards_origin: Origin
) -> None:
    http, seed = seeded
    seed["origin"] = boards_origin.url("/files/pic.png")
    if name.startswith("AddBoardMember"):
        seed["carol"] = (await sign_up(http, "carol@example.com"))["id"]
    if name == "AddTagToGeneration":
        seed["new_tag"] = (await http.post("/api/v1/tags", json={"name": "Fresh"})).json()["id"]
    _, field = OPERATIONS[name]
    body = {"query": document(name), "operationName": name, "variables": _variables(seed)[name]()}
    response = await http.post("/graphql", json=body)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload, payload
    assert payload["data"][field] not in (None, False), payload


async def test_a_fragment_without_its_definition_is_a_validation_error(
    seeded: tuple[httpx.AsyncClient, Seed],
) -> None:
    """Some Boards documents spread fragments they never define: a client error with a code, never a 500."""
    http, seed = seeded
    query = "query GetGeneration($id: UUID!) { generation(id: $id) { ...GenerationFields } }"
    response = await http.post("/graphql", json={"query": query, "variables": {"id": seed["generation"]}})
    assert response.status_code in (200, 400), response.text
    errors = response.json()["errors"]
    assert "GenerationFields" in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", errors
