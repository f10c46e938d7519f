"""Boards' input defaults, as a client generated from Boards' schema relies on them, through /graphql on the
seeded server (tests/compat/conftest.py): the served introspection shows every default Boards declares, and
null in a field whose default is null means "not sent" (Boards: `settings or {}`, `if x is not None`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from graphql import build_schema, is_input_object_type, print_ast
from graphql.utilities import get_default_value_ast

from tests.compat.conftest import Seed
from tests.conftest import sign_up

BOARDS = build_schema(Path(__file__).with_name("boards_excerpt.graphql").read_text())
# Reviewed in test_boards_schema.py: null clears a description in a patch, so it declares no default.
CLEARABLE = {("UpdateBoardInput", "description"), ("UpdateTagInput", "description")}
INTROSPECT = "query($name: String!) { __type(name: $name) { inputFields { name defaultValue } } }"


def _boards_defaults() -> dict[str, dict[str, str | None]]:
    """{input type: {field: its default as introspection prints it, None when it has none}} from the excerpt.

    Only Boards' declared defaults are checked: a default Atelier adds to a field Boards requires is safe."""
    found: dict[str, dict[str, str | None]] = {}
    for name, kind in BOARDS.type_map.items():
        if is_input_object_type(kind):
            found[name] = {}
            for field_name, field in kind.fields.items():  # type: ignore[attr-defined]
                value = get_default_value_ast(field)
                found[name][field_name] = None if value is None else print_ast(value)
    return found


async def _gql(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload, payload
    return payload["data"]  # type: ignore[no-any-return]


async def test_served_introspection_declares_every_boards_input_default(
    seeded: tuple[httpx.AsyncClient, Seed],
) -> None:
    http, _ = seeded
    for type_name, expected in _boards_defaults().items():
        served = (await _gql(http, INTROSPECT, name=type_name))["__type"]["inputFields"]
        got = {row["name"]: row["defaultValue"] for row in served if row["name"] in expected}
        want = {k: v for k, v in expected.items() if v is not None and (type_name, k) not in CLEARABLE}
        assert {k: got[k] for k in want} == want, type_name


async def test_create_board_with_nulls_takes_boards_defaults(seeded: tuple[httpx.AsyncClient, Seed]) -> None:
    http, _ = seeded
    query = (
        "mutation($input: CreateBoardInput!) { createBoard(input: $input) { description isPublic settings } }"
    )
    created = await _gql(http, query, input={"title": "New", "description": None, "settings": None})
    assert created["createBoard"] == {"description": None, "isPublic": False, "settings": {}}


async def test_update_board_ignores_the_nulls_a_generated_client_sends(
    seeded: tuple[httpx.AsyncClient, Seed],
) -> None:
    http, seed = seeded
    query = "mutation($input: UpdateBoardInput!) { updateBoard(input: $input) { title isPublic settings } }"
    patch = {"id": seed["board"], "title": None, "isPublic": None, "settings": None, "description": "new"}
    updated = await _gql(http, query, input=patch)
    assert updated["updateBoard"] == {"title": "Lighthouses", "isPublic": True, "settings": {}}


async def test_add_board_member_without_a_role_adds_a_viewer(seeded: tuple[httpx.AsyncClient, Seed]) -> None:
    http, seed = seeded
    carol = (await sign_up(http, "carol@example.com"))["id"]
    query = (
        "mutation($input: AddBoardMemberInput!) { addBoardMember(input: $input) { members { userId role } } }"
    )
    added = await _gql(http, query, input={"boardId": seed["board"], "userId": carol})
    assert {"userId": carol, "role": "VIEWER"} in added["addBoardMember"]["members"]


async def test_tags_take_boards_defaults_for_nulls(seeded: tuple[httpx.AsyncClient, Seed]) -> None:
    http, seed = seeded
    create = (
        "mutation($input: CreateTagInput!) { createTag(input: $input) { name slug description metadata } }"
    )
    made = await _gql(
        http, create, input={"name": "Dusk", "slug": None, "description": None, "metadata": None}
    )
    assert made["createTag"] == {"name": "Dusk", "slug": "dusk", "description": None, "metadata": {}}
    update = (
        "mutation($input: UpdateTagInput!) { updateTag(input: $input) { name slug description metadata } }"
    )
    patch = {"id": seed["tag"], "name": None, "slug": None, "metadata": None, "description": "stars"}
    updated = await _gql(http, update, input=patch)
    assert updated["updateTag"] == {
        "name": "Night sky",
        "slug": seed["slug"],
        "description": "stars",
        "metadata": {},
    }
