"""No input answers 500 (issue 14, class 7): each input the review found crashing gets a 4xx problem over
REST, or a GraphQL error with a code."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

HUGE = str(2**63)


async def board(client: httpx.AsyncClient) -> str:
    created = await client.post("/api/v1/boards", json={"title": "Inputs"})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def problem(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/boards",
        "/api/v1/boards/public",
        "/api/v1/boards/search?q=x",
        "/api/v1/tags",
        "/api/v1/generations",
    ],
)
async def test_offsets_beyond_int64_are_refused(client: httpx.AsyncClient, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    problem(await client.get(f"{path}{joiner}offset={HUGE}"), 400, 422)


async def test_graphql_offsets_are_bounded(client: httpx.AsyncClient) -> None:
    body = (await client.post("/graphql", json={"query": "{ tags(offset: 2000000000) { id } }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_nul_characters_in_text_are_refused(client: httpx.AsyncClient) -> None:
    problem(await client.post("/api/v1/boards", json={"title": "a\u0000b"}), 400, 422)
    problem(await client.get("/api/v1/boards/search", params={"q": "a\u0000b"}), 400, 422)
    problem(await client.post("/api/v1/tags", json={"name": "nul", "slug": "a\u0000b"}), 400, 422)
    problem(await client.post("/api/v1/boards", json={"title": "k", "metadata": {"a\u0000": 1}}), 400, 422)
    mutation = "mutation($t: String!) { createBoard(input: {title: $t}) { id } }"
    body = (await client.post("/graphql", json={"query": mutation, "variables": {"t": "a\u0000b"}})).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_deeply_nested_json_is_refused(client: httpx.AsyncClient) -> None:
    nested = "[" * 5000 + "]" * 5000
    raw = '{"title": "deep", "metadata": {"x": ' + nested + "}}"
    headers = {"content-type": "application/json"}
    problem(await client.post("/api/v1/boards", content=raw, headers=headers), 400, 422)
    graphql = '{"query": "{ __typename }", "variables": {"x": ' + nested + "}}"
    assert (await client.post("/graphql", content=graphql, headers=headers)).status_code == 400


async def test_free_json_fields_are_capped(client: httpx.AsyncClient) -> None:
    big = {"blob": "x" * (65 * 1024)}
    problem(await client.post("/api/v1/boards", json={"title": "big", "metadata": big}), 400, 413, 422)
    board_id = await board(client)
    problem(await client.patch(f"/api/v1/boards/{board_id}", json={"settings": big}), 400, 413, 422)
    mutation = 'mutation($m: JSON) { createBoard(input: {title: "g", settings: $m}) { id } }'
    body = (await client.post("/graphql", json={"query": mutation, "variables": {"m": big}})).json()
    assert body["errors"][0]["extensions"]["code"] in ("BAD_USER_INPUT", "PAYLOAD_TOO_LARGE")


async def test_patching_a_tag_to_a_taken_slug_is_a_conflict(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/tags", json={"name": "First", "slug": "first"})
    second = (await client.post("/api/v1/tags", json={"name": "Second", "slug": "second"})).json()
    answer = problem(await client.patch(f"/api/v1/tags/{second['id']}", json={"slug": "first"}), 409)
    assert answer["code"] == "CONFLICT"
    mutation = f'mutation {{ updateTag(input: {{id: "{second["id"]}", slug: "first"}}) {{ id }} }}'
    body = (await client.post("/graphql", json={"query": mutation})).json()
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"


async def stored_file_url(client: httpx.AsyncClient) -> str:
    board_id = await board(client)
    uploaded = await client.post(
        "/api/v1/uploads/artifact",
        data={"board_id": board_id, "artifact_type": "text"},
        files={"file": ("note.txt", b"hello, world\n", "text/plain")},
    )
    assert uploaded.status_code == 201, uploaded.text
    return str(uploaded.json()["storageUrl"])


async def test_file_urls_refuse_absurd_ranges_and_signatures(client: httpx.AsyncClient) -> None:
    url = await stored_file_url(client)
    assert (await client.get(url)).status_code == 200
    huge_range = await client.get(url, headers={"Range": "bytes=" + "9" * 5000 + "-"})
    assert huge_range.status_code in (200, 416), huge_range.text
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["signature"] = "é" * len(query["signature"])
    problem(await client.get(parts.path, params=query), 400, 401, 403, 404)
    query["expires"] = "9" * 5000
    problem(await client.get(parts.path, params=query), 400, 401, 403, 404)


async def test_an_undefined_fragment_is_a_validation_error(client: httpx.AsyncClient) -> None:
    body = (await client.post("/graphql", json={"query": "{ tags { ...Nope } }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert json.dumps(body)
