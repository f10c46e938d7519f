"""Tenant admins disable and re-enable users (issue 17, admin surface): a disabled user's access tokens,
refresh tokens and API keys are refused at once in both APIs, and they cannot sign in; re-enabled, they can.
Permissions live in AdminService (one place below REST, GraphQL and the CLI); every change is audited."""

from __future__ import annotations

import asyncio
import os
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar

from tests.conftest import Servers, sign_up
from tests.integration.ops.test_admin_api import _cli, _gql
from tests.integration.ops.test_admin_jobs import _bearer

pytestmark = pytest.mark.usefixtures("clean_db")
PASSWORD = "correct horse 42"
DISABLE = "mutation ($id: UUID!) { disableUser(id: $id) }"
ENABLE = "mutation ($id: UUID!) { enableUser(id: $id) }"
ME = "query { me { id } }"


async def _disable(
    http: httpx.AsyncClient, via: str, user_id: str, admin: dict[str, str], *, on: bool
) -> None:
    if via == "rest":
        action = "disable" if on else "enable"
        answer = await http.post(f"/api/v1/admin/users/{user_id}/{action}", headers=admin)
        assert answer.status_code == 204, answer.text
    else:
        data = (await _gql(http, DISABLE if on else ENABLE, admin, id=user_id))["data"]
        assert data == {"disableUser" if on else "enableUser": True}


async def _can_act(http: httpx.AsyncClient, headers: dict[str, str]) -> tuple[int, int]:
    """HTTP statuses of REST /users/me and GraphQL `me` (a refused credential is 401 on both)."""
    rest = await http.get("/api/v1/users/me", headers=headers)
    graphql = await http.post("/graphql", json={"query": ME}, headers=headers)
    if graphql.status_code == 200:
        assert graphql.json()["data"]["me"]["id"], graphql.text
    return rest.status_code, graphql.status_code


@pytest.mark.parametrize("via", ["rest", "graphql"])
async def test_a_disabled_user_is_refused_at_once_everywhere(local_http: httpx.AsyncClient, via: str) -> None:
    http = local_http
    boss = await sign_up(http, "boss@example.com")
    victim = await sign_up(http, "victim@example.com", password=PASSWORD)
    admin, session = _bearer(boss, admin=True), victim["headers"]
    created = await http.post("/api/v1/api-keys", json={"name": "script"}, headers=session)
    key = {"X-API-Key": created.json()["secret"]}
    assert await _can_act(http, session) == (200, 200)
    assert await _can_act(http, key) == (200, 200)

    await _disable(http, via, str(victim["id"]), admin, on=True)

    assert await _can_act(http, session) == (401, 401)  # the access token, at once
    assert await _can_act(http, key) == (401, 401)
    refresh = {"refreshToken": victim["session"]["refreshToken"]}  # type: ignore[index]
    assert (await http.post("/api/v1/auth/refresh", json=refresh)).status_code == 401
    login = {"email": "victim@example.com", "password": PASSWORD}
    refused = await http.post("/api/v1/auth/login", json=login)
    assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
    listed = (await _gql(http, "query { adminUsers { email disabledAt } }", admin))["data"]["adminUsers"]
    assert [u["disabledAt"] is not None for u in listed if u["email"] == "victim@example.com"] == [True]

    await _disable(http, via, str(victim["id"]), admin, on=False)

    signed_in = await http.post("/api/v1/auth/login", json=login)
    assert signed_in.status_code == 200, signed_in.text
    fresh = {"Authorization": f"Bearer {signed_in.json()['accessToken']}"}
    assert await _can_act(http, fresh) == (200, 200)
    assert await _can_act(http, key) == (200, 200)  # keys were suspended, not revoked
    assert await _can_act(http, session) == (401, 401)  # ended sessions stay ended
    log = (await http.get("/api/v1/admin/audit", headers=admin)).json()
    assert [(e["action"], e["targetId"]) for e in log[:2]] == [
        ("user.enable", victim["id"]),
        ("user.disable", victim["id"]),
    ]
    assert log[1]["details"] == {"sessions_ended": 1}


async def test_only_tenant_admins_disable_and_not_themselves(local_http: httpx.AsyncClient) -> None:
    http = local_http
    boss = await sign_up(http, "boss2@example.com")
    plain = await sign_up(http, "plain2@example.com")
    admin, user = _bearer(boss, admin=True), plain["headers"]
    refused = await http.post(f"/api/v1/admin/users/{boss['id']}/disable", headers=user)
    assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
    denied = await _gql(http, DISABLE, user, id=str(boss["id"]))
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    own = await http.post(f"/api/v1/admin/users/{boss['id']}/disable", headers=admin)
    assert (own.status_code, own.json()["code"]) == (409, "CONFLICT")
    missing = await http.post(f"/api/v1/admin/users/{uuid4()}/enable", headers=admin)
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")
    unknown = await _gql(http, ENABLE, admin, id=str(uuid4()))
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await http.get("/api/v1/admin/audit", headers=admin)).json() == []  # refusals change nothing


async def test_an_admin_cannot_disable_another_tenants_user(
    local_http: httpx.AsyncClient, other_tenant: str
) -> None:
    boss = await sign_up(local_http, "boss3@example.com")
    outsider = await sign_up(local_http, "outsider@example.com", tenant=other_tenant)
    refused = await local_http.post(
        f"/api/v1/admin/users/{outsider['id']}/disable", headers=_bearer(boss, admin=True)
    )
    assert (refused.status_code, refused.json()["code"]) == (404, "NOT_FOUND")
    assert (await local_http.get("/api/v1/users/me", headers=outsider["headers"])).status_code == 200


async def test_the_cli_disables_and_enables(
    local_app: Litestar, local_http: httpx.AsyncClient, servers: Servers
) -> None:
    victim = await sign_up(local_http, "cli-victim@example.com", password=PASSWORD)
    env = {**os.environ, "ATELIER_DATABASE_URL": servers.database_url, "ATELIER_REDIS_URL": servers.redis_url}
    done = await asyncio.to_thread(_cli, env, "disable-user", "default", "cli-victim@example.com")
    assert done.returncode == 0, done.stderr
    for _ in range(50):  # the ended session reaches this API process through Redis pub/sub
        if (await local_http.get("/api/v1/users/me", headers=victim["headers"])).status_code == 401:
            break
        await asyncio.sleep(0.1)
    assert (await local_http.get("/api/v1/users/me", headers=victim["headers"])).status_code == 401
    login = {"email": "cli-victim@example.com", "password": PASSWORD}
    assert (await local_http.post("/api/v1/auth/login", json=login)).status_code == 403
    done = await asyncio.to_thread(_cli, env, "enable-user", "default", "cli-victim@example.com")
    assert done.returncode == 0, done.stderr
    assert (await local_http.post("/api/v1/auth/login", json=login)).status_code == 200
    boss = await sign_up(local_http, "cli-auditor@example.com")
    log = (await local_http.get("/api/v1/admin/audit", headers=_bearer(boss, admin=True))).json()
    assert [(e["action"], e["actorLabel"]) for e in log[:2]] == [
        ("user.enable", "cli"),
        ("user.disable", "cli"),
    ]
