"""Every status the app answers for an operation is one its OpenAPI entry declares.

Each operation of the served document is probed the ways a client goes wrong (an unknown id, a junk or
unknown-field body, a body that is not JSON, junk query values, an undeclared method) and what comes
back must be declared, as RFC 9457 problems for errors. Schemathesis (test_openapi_schemathesis.py)
fuzzes the same rule; this test is its deterministic floor and runs in seconds.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any, cast
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar

from tests.conftest import sign_up

pytestmark = pytest.mark.usefixtures("clean_db")
METHODS = ("get", "put", "post", "delete", "patch")
STREAMS = {"StreamGenerationProgress", "StreamBoardGenerations"}  # an unknown id answers before streaming


@pytest.fixture
async def http(open_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=open_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as client:
        yield client


def _path(template: str, operation: dict[str, Any]) -> str:
    formats = {
        p["name"]: (p.get("schema") or {}).get("format")
        for p in operation.get("parameters", [])
        if p["in"] == "path"
    }
    return re.sub(
        r"\{(\w+)\}", lambda m: str(uuid4()) if formats.get(m[1]) == "uuid" else "no-such-thing", template
    )


def _probes(operation: dict[str, Any]) -> list[dict[str, Any]]:
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    probes: list[dict[str, Any]] = [{}, {"params": dict.fromkeys(query, "\x7f junk")}]
    if "requestBody" in operation:
        probes += [
            {"json": {}},
            {"json": {"surely-unknown-field": 1}},
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            {"json": []},
        ]
    return probes


@pytest.fixture
async def signed_in(local_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in user who is no tenant admin: admin operations answer 403, which must be declared too."""
    transport = httpx.ASGITransport(app=local_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as client:
        user = await sign_up(client, "plain@example.com")
        client.headers.update(cast(dict[str, str], user["headers"]))
        yield client


async def test_every_answer_is_declared(http: httpx.AsyncClient) -> None:
    await _every_answer_is_declared(http)


async def test_every_answer_to_a_signed_in_user_is_declared(signed_in: httpx.AsyncClient) -> None:
    await _every_answer_is_declared(signed_in)


async def _every_answer_is_declared(http: httpx.AsyncClient) -> None:
    document = (await http.get("/schema/openapi.json")).json()
    undeclared: list[str] = []
    for template, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or operation.get("operationId") in STREAMS:
                continue
            declared = set(operation["responses"])
            for probe in _probes(operation):
                response = await http.request(method.upper(), _path(template, operation), **probe)
                status = str(response.status_code)
                if status not in declared:
                    undeclared.append(
                        f"{method.upper()} {template} {probe} -> {status}: {response.text[:200]}"
                    )
                elif response.status_code >= 400:
                    # errors are problems, unless the entry declares another body for the status (/ready's
                    # 503 is its JSON report, which a loaded machine can produce when a check is slow)
                    declared_media = set(operation["responses"][status].get("content") or {})
                    media = response.headers["content-type"].split(";")[0]
                    expected = declared_media or {"application/problem+json"}
                    assert media in expected, (template, status, media)
    assert not undeclared, "\n".join(undeclared)


async def test_undeclared_methods_answer_405_with_allow(http: httpx.AsyncClient) -> None:
    document = (await http.get("/schema/openapi.json")).json()
    for template, item in document["paths"].items():
        operation = next(item[m] for m in METHODS if m in item)
        response = await http.request("TRACE", _path(template, operation))
        assert response.status_code == 405, template
        declared = {m.upper() for m in METHODS if m in item}
        assert declared <= set(response.headers["allow"].replace(" ", "").split(",")), template
        options = await http.request("OPTIONS", _path(template, operation))
        assert declared <= set(options.headers["allow"].replace(" ", "").split(",")), template
