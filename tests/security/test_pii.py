"""Personal data (issue 14, class 3): e-mail addresses and auth subjects are visible only to the user
themself and tenant admins, through REST and GraphQL; searchUsers never harvests addresses."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import seed_generations, sign_up

PRIVATE = "{ id email authSubject displayName }"


async def gql(http: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    body = (await http.post("/graphql", json={"query": query}, headers=headers or {})).json()
    assert "errors" not in body, body
    return dict(body["data"])


async def setup(http: httpx.AsyncClient, engine: AsyncEngine) -> tuple[dict[str, Any], dict[str, Any]]:
    ann = await sign_up(http, "ann@corp.test")
    bob = await sign_up(http, "bob@corp.test")
    board = await http.post(
        "/api/v1/boards", json={"title": "Open", "isPublic": True}, headers=ann["headers"]
    )
    await seed_generations(engine, board.json()["id"], str(ann["id"]), 1)
    return ann, bob


async def test_anonymous_callers_see_no_addresses(local_http: httpx.AsyncClient, engine: AsyncEngine) -> None:
    await setup(local_http, engine)
    data = await gql(
        local_http,
        f"{{ publicBoards(limit: 5) {{ owner {PRIVATE} generations(limit: 5) {{ user {PRIVATE} }} }} "
        f"feed {{ items {{ user {PRIVATE} }} }} }}",
    )
    owner = data["publicBoards"][0]["owner"]
    assert (owner["email"], owner["authSubject"]) == (None, None)
    assert data["publicBoards"][0]["generations"][0]["user"]["email"] is None
    assert data["feed"]["items"][0]["user"]["email"] is None


async def test_other_members_see_no_addresses_and_search_does_not_harvest(
    local_http: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    ann, bob = await setup(local_http, engine)
    rest = (await local_http.get(f"/api/v1/users/{ann['id']}", headers=bob["headers"])).json()
    assert (rest["email"], rest["authSubject"]) == (None, None)
    data = await gql(local_http, f'{{ user(id: "{ann["id"]}") {PRIVATE} }}', bob["headers"])
    assert data["user"]["email"] is None
    # a fragment of an address finds nobody; the exact address finds its owner, without showing it
    harvest = (await local_http.get("/api/v1/users", params={"q": "@"}, headers=bob["headers"])).json()
    assert harvest["items"] == []
    data = await gql(local_http, f'{{ searchUsers(query: "@corp") {PRIVATE} }}', bob["headers"])
    assert data["searchUsers"] == []
    exact = (
        await local_http.get("/api/v1/users", params={"q": "ANN@corp.test"}, headers=bob["headers"])
    ).json()
    assert [(u["id"], u["email"]) for u in exact["items"]] == [(ann["id"], None)]
    # the person themself sees their own
    me = (await local_http.get("/api/v1/users/me", headers=ann["headers"])).json()
    assert me["email"] == "ann@corp.test"
    assert me["authSubject"]
    mine = await gql(local_http, f'{{ user(id: "{ann["id"]}") {PRIVATE} }}', ann["headers"])
    assert mine["user"]["email"] == "ann@corp.test"


async def test_tenant_admins_see_addresses(local_http: httpx.AsyncClient, engine: AsyncEngine) -> None:
    ann, bob = await setup(local_http, engine)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE users SET is_admin = true WHERE id = :id"), {"id": bob["id"]})
    login = await local_http.post(
        "/api/v1/auth/login", json={"email": "bob@corp.test", "password": "correct horse 42"}
    )
    admin = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    rest = (await local_http.get(f"/api/v1/users/{ann['id']}", headers=admin)).json()
    assert rest["email"] == "ann@corp.test"
    data = await gql(local_http, f"{{ publicBoards {{ owner {PRIVATE} }} }}", admin)
    assert data["publicBoards"][0]["owner"]["email"] == "ann@corp.test"
