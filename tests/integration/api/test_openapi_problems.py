"""The OpenAPI document describes errors as the server sends them: RFC 9457 problems, the Problem schema."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import msgspec

from app.contracts import Problem

OPENAPI = json.loads((Path(__file__).resolve().parents[3] / "clients" / "openapi.json").read_text())
METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_rest_operation_documents_its_problems() -> None:
    operations = [
        (path, method, op)
        for path, item in OPENAPI["paths"].items()
        if path.startswith("/api/")
        for method, op in item.items()
        if method in METHODS
    ]
    assert len(operations) > 40
    for path, method, op in operations:
        for status in ("400", "401", "429") + (("404",) if "{" in path else ()):
            content = op["responses"][status]["content"]
            assert list(content) == ["application/problem+json"], (method, path, status)
            assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


async def test_a_real_error_body_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/api/v1/boards/{uuid.uuid4()}", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = msgspec.convert(response.json(), Problem)
    assert (problem.status, problem.code, problem.request_id) == (404, "NOT_FOUND", "req-7")
