"""Every operation a Boards web client sends (tests/compat/boards_client.py), against a seeded Atelier: each
document validates against the served schema and answers data without errors, as it would from Boards (the
seed: tests/compat/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from graphql import build_schema, parse, validate

from app.graphql.schema import schema
from tests.compat.boards_client import OPERATIONS, document
from tests.compat.conftest import Seed
from tests.conftest import sign_up
from tests.integration.uploads.conftest import Origin


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
