"""Two tenants with identical data: no read, list, search or write crosses. Unknown tenants are refused."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import OTHER_TENANT, sign_up


async def _twin(http: httpx.AsyncClient, tenant: str | None) -> dict[str, Any]:
    """The same user and the same board in a tenant."""
    user = await sign_up(http, "twin@example.com", tenant=tenant)
    board = await http.post("/api/v1/boards", json={"title": "Same board"}, headers=user["headers"])
    return {**user, "board": board.json()}


async def test_identical_tenants_never_see_each_other(local_http: httpx.AsyncClient) -> None:
    a, b = await _twin(local_http, None), await _twin(local_http, OTHER_TENANT)
    assert a["board"]["tenantId"] != b["board"]["tenantId"]
    for me, them in ((a, b), (b, a)):
        h = me["headers"]
        listed = (await local_http.get("/api/v1/boards", headers=h)).json()["items"]
        assert [x["id"] for x in listed] == [me["board"]["id"]]
        assert (await local_http.get(f"/api/v1/boards/{them['board']['id']}", headers=h)).status_code == 404
        patch = await local_http.patch(
            f"/api/v1/boards/{them['board']['id']}", json={"title": "x"}, headers=h
        )
        assert patch.status_code == 404
        assert (
            await local_http.delete(f"/api/v1/boards/{them['board']['id']}", headers=h)
        ).status_code == 404
        found = (await local_http.get("/api/v1/users", params={"q": "twin"}, headers=h)).json()["items"]
        assert [u["id"] for u in found] == [me["id"]]
        assert (await local_http.get(f"/api/v1/users/{them['id']}", headers=h)).status_code == 404
        member = {"userId": them["id"], "role": "viewer"}
        added = await local_http.post(f"/api/v1/boards/{me['board']['id']}/members", json=member, headers=h)
        assert (added.status_code, added.json()["code"]) == (404, "NOT_FOUND")
        gql = "query($id: UUID!) { board(id: $id) { id } user(id: $id) { id } }"
        body = await local_http.post(
            "/graphql", json={"query": gql, "variables": {"id": them["board"]["id"]}}, headers=h
        )
        assert body.json()["data"] == {"board": None, "user": None}
    # Nothing was changed by the attempts.
    still = await local_http.get(f"/api/v1/boards/{b['board']['id']}", headers=b["headers"])
    assert still.json()["title"] == "Same board"


async def test_a_token_is_only_good_for_its_own_tenant(local_http: httpx.AsyncClient) -> None:
    a = await sign_up(local_http, "solo@example.com")
    forged = {**a["headers"], "X-Tenant": OTHER_TENANT}
    response = await local_http.get("/api/v1/boards", headers=forged)
    assert (response.status_code, response.json()["code"]) == (401, "UNAUTHENTICATED")


async def test_unknown_tenants_are_refused_and_never_created(local_http: httpx.AsyncClient) -> None:
    response = await local_http.post(
        "/api/v1/auth/signup",
        json={"email": "x@example.com", "password": "long enough"},
        headers={"X-Tenant": "nope"},
    )
    assert (response.status_code, response.json()["code"]) == (400, "BAD_USER_INPUT")
    assert "unknown tenant" in response.json()["detail"]
    again = await local_http.get("/api/v1/tenant", headers={"X-Tenant": "nope"})
    assert again.status_code == 400


async def test_tenant_administration_needs_an_admin(local_http: httpx.AsyncClient) -> None:
    user = await sign_up(local_http, "plain@example.com")
    tenant = (await local_http.get("/api/v1/tenant", headers=user["headers"])).json()
    assert tenant["slug"] == "default"
    denied = await local_http.patch("/api/v1/tenant", json={"name": "Mine now"}, headers=user["headers"])
    assert (denied.status_code, denied.json()["code"]) == (403, "FORBIDDEN")
