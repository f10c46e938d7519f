"""Whole operations as clients write them: several root fields at once, and every relation of a user."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest

from tests.conftest import sign_up

ROOT_FIELD_SETS = [
    ("me { id } tags { id }", {"me", "tags"}),
    ("a: tags { id } b: tags { id }", {"a", "b"}),
    (
        "myBoards { id } recentGenerations { id } publicBoards { id }",
        {"myBoards", "recentGenerations", "publicBoards"},
    ),
    ('searchBoards(query: "a") { id } me { boards { id } memberBoards { id } }', {"searchBoards", "me"}),
    (
        'me { id } generators(artifactType: "image") { name } feed { items { id } }',
        {"me", "generators", "feed"},
    ),
]


async def _gql(http: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any) -> Any:
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.mark.parametrize(("fields", "keys"), ROOT_FIELD_SETS)
async def test_several_root_fields_resolve_together(
    local_http: httpx.AsyncClient, fields: str, keys: set[str]
) -> None:
    """Sibling fields run concurrently on one request's session (this was a 500 before it connected first)."""
    ada = await sign_up(local_http, "ada@example.com")
    data = await _gql(local_http, "{ " + fields + " }", cast(dict[str, str], ada["headers"]))
    assert set(data) == keys and all(value is not None for value in data.values())


async def test_a_user_lists_the_boards_they_own_and_those_they_belong_to(
    local_http: httpx.AsyncClient,
) -> None:
    ada = await sign_up(local_http, "ada@example.com")
    bob = await sign_up(local_http, "bob@example.com")
    ada_h, bob_h = cast(dict[str, str], ada["headers"]), cast(dict[str, str], bob["headers"])
    create = "mutation($t: String!) { createBoard(input: {title: $t}) { id } }"
    own = (await _gql(local_http, create, ada_h, t="ada's"))["createBoard"]["id"]
    shared = (await _gql(local_http, create, bob_h, t="bob's"))["createBoard"]["id"]
    await _gql(
        local_http,
        "mutation($b: UUID!, $u: UUID!) { addBoardMember(input: {boardId: $b, userId: $u, role: EDITOR}) { id } }",
        bob_h,
        b=shared,
        u=ada["id"],
    )
    me = (await _gql(local_http, "{ me { boards { id } memberBoards { id title } } }", ada_h))["me"]
    assert [b["id"] for b in me["boards"]] == [own]
    assert me["memberBoards"] == [{"id": shared, "title": "bob's"}]
    # Bob sees Ada's memberships only where he may read the board: his own board, yes.
    ada_seen = await _gql(
        local_http,
        "query($id: UUID!) { user(id: $id) { memberBoards { id } } }",
        bob_h,
        id=ada["id"],
    )
    assert ada_seen["user"]["memberBoards"] == [{"id": shared}]


async def test_null_page_arguments_mean_the_defaults_as_in_boards(local_http: httpx.AsyncClient) -> None:
    ada = await sign_up(local_http, "ada@example.com")
    headers = cast(dict[str, str], ada["headers"])
    for title in ("one", "two"):
        await _gql(
            local_http, "mutation($t: String!) { createBoard(input: {title: $t}) { id } }", headers, t=title
        )
    by_variable = await _gql(
        local_http,
        "query($l: Int, $o: Int) { myBoards(limit: $l, offset: $o, role: null, sort: null) { title } }",
        headers,
        l=None,
        o=None,
    )
    literal = await _gql(
        local_http, '{ tags(limit: null) { id } searchBoards(query: "o", limit: null) { title } }', headers
    )
    assert sorted(b["title"] for b in by_variable["myBoards"]) == ["one", "two"]
    assert sorted(b["title"] for b in literal["searchBoards"]) == ["one", "two"]
