"""Tenant admins grant and revoke credits, list users and read the audit log: REST, GraphQL and the CLI reach
the same service; non-admins are refused; other tenants' users are out of reach; every change is audited."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar

from tests.conftest import Servers, sign_up
from tests.integration.ops.test_admin_jobs import _bearer

pytestmark = pytest.mark.usefixtures("clean_db")
GRANT = "mutation G($input: CreditAdjustmentInput!) { grantCredits(input: $input) { kind amount reason } }"
REVOKE = "mutation R($input: CreditAdjustmentInput!) { revokeCredits(input: $input) { kind amount } }"
USERS = "query { adminUsers { email isAdmin creditBalance } }"


async def _gql(
    http: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_admins_grant_and_revoke_credits_through_both_apis(local_http: httpx.AsyncClient) -> None:
    http = local_http
    boss = await sign_up(http, "boss@example.com")
    plain = await sign_up(http, "plain@example.com")
    admin, user = _bearer(boss, admin=True), plain["headers"]
    change = {"userId": plain["id"], "amount": 50, "reason": "welcome"}

    refused = await http.post("/api/v1/admin/credits/grant", json=change, headers=user)
    assert refused.status_code == 403 and refused.json()["code"] == "FORBIDDEN"
    denied = await _gql(http, GRANT, user, input=change)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    granted = await http.post("/api/v1/admin/credits/grant", json=change, headers=admin)
    assert granted.status_code == 201, granted.text
    assert granted.json()["kind"] == "grant" and granted.json()["amount"] == 50
    revoked = await _gql(http, REVOKE, admin, input={**change, "amount": 20, "reason": "refund"})
    assert revoked["data"]["revokeCredits"] == {"kind": "adjustment", "amount": -20.0}
    too_much = await http.post("/api/v1/admin/credits/revoke", json={**change, "amount": 31}, headers=admin)
    assert too_much.status_code == 422 and too_much.json()["code"] == "BAD_USER_INPUT"
    zero = await http.post("/api/v1/admin/credits/grant", json={**change, "amount": 0}, headers=admin)
    assert zero.status_code == 400

    assert (await http.get("/api/v1/credits", headers=user)).json()["balance"] == 30
    users = (await _gql(http, USERS, admin))["data"]["adminUsers"]
    assert {"email": "plain@example.com", "isAdmin": False, "creditBalance": 30.0} in users
    log = (await http.get("/api/v1/admin/audit", headers=admin)).json()
    assert [(e["action"], e["actorLabel"], e["details"]["amount"]) for e in log] == [
        ("credits.revoke", "boss@example.com", 20.0),
        ("credits.grant", "boss@example.com", 50.0),
    ]  # refused attempts change nothing and are not recorded as actions
    assert log[1]["targetId"] == plain["id"] and log[1]["details"]["reason"] == "welcome"
    assert (await http.get("/api/v1/admin/audit", headers=user)).status_code == 403


async def test_an_admin_cannot_reach_another_tenants_user(
    local_http: httpx.AsyncClient, other_tenant: str
) -> None:
    boss = await sign_up(local_http, "boss2@example.com")
    stranger = await sign_up(local_http, "stranger@example.com", tenant=other_tenant)
    change = {"userId": stranger["id"], "amount": 5, "reason": "nope"}
    missed = await local_http.post(
        "/api/v1/admin/credits/grant", json=change, headers=_bearer(boss, admin=True)
    )
    assert missed.status_code == 404
    users = (await _gql(local_http, USERS, _bearer(boss, admin=True)))["data"]["adminUsers"]
    assert "stranger@example.com" not in {u["email"] for u in users}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "admin", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_cli_grants_credits_and_is_audited_as_cli(
    local_app: Litestar, local_http: httpx.AsyncClient, servers: Servers
) -> None:
    plain = await sign_up(local_http, "cli-target@example.com")
    env = {**os.environ, "ATELIER_DATABASE_URL": servers.database_url, "ATELIER_REDIS_URL": servers.redis_url}
    done = await asyncio.to_thread(
        _cli, env, "grant-credits", "default", "cli-target@example.com", "7", "--reason", "support ticket 42"
    )
    assert done.returncode == 0, done.stderr
    assert "+7" in done.stdout
    assert (await local_http.get("/api/v1/credits", headers=plain["headers"])).json()["balance"] == 7
    boss = await sign_up(local_http, "auditor@example.com")
    log = (await local_http.get("/api/v1/admin/audit", headers=_bearer(boss, admin=True))).json()
    assert log[0]["actorLabel"] == "cli" and log[0]["actorUserId"] is None
    assert log[0]["details"]["reason"] == "support ticket 42"
    missing = await asyncio.to_thread(_cli, env, "grant-credits", "default", "nobody@example.com", "7")
    assert missing.returncode != 0 and "no user" in missing.stderr


async def test_admins_see_and_revoke_any_api_key_of_the_tenant(local_http: httpx.AsyncClient) -> None:
    http = local_http
    boss = await sign_up(http, "keys-boss@example.com")
    owner = await sign_up(http, "scripter@example.com")
    created = await http.post("/api/v1/api-keys", json={"name": "nightly"}, headers=owner["headers"])
    assert created.status_code == 201, created.text
    secret, key_id = created.json()["secret"], created.json()["apiKey"]["id"]
    assert (await http.get("/api/v1/users/me", headers={"X-API-Key": secret})).status_code == 200
    admin = _bearer(boss, admin=True)
    assert (await http.get("/api/v1/admin/api-keys", headers=owner["headers"])).status_code == 403
    listed = (await _gql(http, "query { adminApiKeys { id userEmail name revokedAt } }", admin))["data"]
    assert {
        "id": key_id,
        "userEmail": "scripter@example.com",
        "name": "nightly",
        "revokedAt": None,
    } in listed["adminApiKeys"]
    revoked = await http.delete(f"/api/v1/admin/api-keys/{key_id}", headers=admin)
    assert revoked.status_code == 204
    assert (await http.get("/api/v1/users/me", headers={"X-API-Key": secret})).status_code == 401
    again = await _gql(http, "mutation ($id: UUID!) { adminRevokeApiKey(id: $id) }", admin, id=str(uuid4()))
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    log = (await http.get("/api/v1/admin/audit", headers=admin)).json()
    assert (log[0]["action"], log[0]["targetId"], log[0]["details"]["owner"]) == (
        "api_key.revoke",
        key_id,
        owner["id"],
    )
