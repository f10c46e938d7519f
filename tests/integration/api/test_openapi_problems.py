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


def test_every_paging_parameter_declares_the_bounds_the_server_applies() -> None:
    """A schema-valid page is one the server accepts: an undeclared bound is a 422 schemathesis finds at random."""
    from app.domain.paging import MAX_OFFSET

    pages = [
        (path, method, p)
        for path, item in OPENAPI["paths"].items()
        for method, op in item.items()
        if method in METHODS
        for p in op.get("parameters", [])
        if p["in"] == "query" and p["name"] in {"offset", "limit"}
    ]
    assert len(pages) > 10
    for path, method, parameter in pages:
        schema = parameter["schema"]
        schema = next((s for s in schema.get("oneOf", []) if s.get("type") == "integer"), schema)
        assert "maximum" in schema and "minimum" in schema, (method, path, parameter["name"])
        if parameter["name"] == "offset":
            assert schema["maximum"] <= MAX_OFFSET, (method, path)
