"""Local accounts end to end over REST and GraphQL: sign-up, log-in, refresh rotation, log-out, password."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import sign_up

PASSWORD = "correct horse 42"


async def test_sign_up_then_me_over_rest_and_graphql(local_http: httpx.AsyncClient) -> None:
    ann = await sign_up(local_http, "Ann@Example.com")
    me = (await local_http.get("/api/v1/users/me", headers=ann["headers"])).json()
    assert (me["email"], me["authProvider"]) == ("ann@example.com", "local")  # normalised
    body = (
        await local_http.post("/graphql", json={"query": "{ me { id email } }"}, headers=ann["headers"])
    ).json()
    assert body["data"]["me"] == {"id": ann["id"], "email": "ann@example.com"}
    anonymous = (await local_http.post("/graphql", json={"query": "{ me { id } }"})).json()
    assert anonymous["data"]["me"] is None
    assert (await local_http.get("/api/v1/users/me")).status_code == 401


async def test_duplicate_sign_up_is_a_conflict_and_bad_input_is_rejected(
    local_http: httpx.AsyncClient,
) -> None:
    await sign_up(local_http, "bob@example.com")
    again = await local_http.post(
        "/api/v1/auth/signup", json={"email": "BOB@example.com", "password": PASSWORD}
    )
    assert (again.status_code, again.json()["code"]) == (409, "CONFLICT")
    short = await local_http.post("/api/v1/auth/signup", json={"email": "c@example.com", "password": "short"})
    assert (short.status_code, short.json()["code"]) == (400, "BAD_USER_INPUT")
    not_email = await local_http.post("/api/v1/auth/signup", json={"email": "nope", "password": PASSWORD})
    assert not_email.status_code == 400


async def test_log_in_checks_the_password(local_http: httpx.AsyncClient) -> None:
    await sign_up(local_http, "cy@example.com")
    wrong = await local_http.post(
        "/api/v1/auth/login", json={"email": "cy@example.com", "password": "wrong pass"}
    )
    unknown = await local_http.post(
        "/api/v1/auth/login", json={"email": "zz@example.com", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]  # no hint which part was wrong
    ok = await local_http.post("/api/v1/auth/login", json={"email": "cy@example.com", "password": PASSWORD})
    assert ok.status_code == 200
    assert ok.json()["tokenType"] == "bearer"


async def test_refresh_rotates_and_reuse_ends_the_session_family(local_http: httpx.AsyncClient) -> None:
    dee = await sign_up(local_http, "dee@example.com")
    first = dee["session"]["refreshToken"]  # type: ignore[index]
    rotated = await local_http.post("/api/v1/auth/refresh", json={"refreshToken": first})
    assert rotated.status_code == 200
    second = rotated.json()["refreshToken"]
    assert second != first
    replay = await local_http.post("/api/v1/auth/refresh", json={"refreshToken": first})
    assert (replay.status_code, replay.json()["code"]) == (401, "UNAUTHENTICATED")
    # The replay revoked the family: the legitimate newer token is dead too.
    assert (await local_http.post("/api/v1/auth/refresh", json={"refreshToken": second})).status_code == 401


async def test_log_out_and_password_change_revoke_sessions(local_http: httpx.AsyncClient) -> None:
    eve = await sign_up(local_http, "eve@example.com")
    token = eve["session"]["refreshToken"]  # type: ignore[index]
    query = "mutation($i: LogOutInput!) { logOut(input: $i) }"
    body = (
        await local_http.post("/graphql", json={"query": query, "variables": {"i": {"refreshToken": token}}})
    ).json()
    assert body["data"]["logOut"] is True
    assert (await local_http.post("/api/v1/auth/refresh", json={"refreshToken": token})).status_code == 401

    login = await local_http.post(
        "/api/v1/auth/login", json={"email": "eve@example.com", "password": PASSWORD}
    )
    other_session = login.json()["refreshToken"]
    change = {"currentPassword": PASSWORD, "newPassword": "a new long one"}
    logged_out = await local_http.post("/api/v1/auth/password", json=change, headers=eve["headers"])
    assert logged_out.status_code == 401  # the first session ended at log-out: its access token too
    current = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    assert (await local_http.post("/api/v1/auth/password", json=change, headers=current)).status_code == 204
    assert (
        await local_http.post("/api/v1/auth/refresh", json={"refreshToken": other_session})
    ).status_code == 401
    old = await local_http.post("/api/v1/auth/login", json={"email": "eve@example.com", "password": PASSWORD})
    new = await local_http.post(
        "/api/v1/auth/login", json={"email": "eve@example.com", "password": "a new long one"}
    )
    assert (old.status_code, new.status_code) == (401, 200)


async def test_graphql_sign_up_and_log_in(local_http: httpx.AsyncClient) -> None:
    mutation = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken tokenType user { email displayName } } }"
    variables = {"i": {"email": "gq@example.com", "password": PASSWORD, "displayName": "Gee"}}
    body = (await local_http.post("/graphql", json={"query": mutation, "variables": variables})).json()
    assert body["data"]["signUp"]["user"] == {"email": "gq@example.com", "displayName": "Gee"}
    login = "mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }"
    bad = {"i": {"email": "gq@example.com", "password": "wrong wrong"}}
    errors = (await local_http.post("/graphql", json={"query": login, "variables": bad})).json()["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_api_keys_authenticate_until_revoked(local_http: httpx.AsyncClient) -> None:
    fay = await sign_up(local_http, "fay@example.com")
    created = await local_http.post("/api/v1/api-keys", json={"name": "ci"}, headers=fay["headers"])
    assert created.status_code == 201
    secret, key_id = created.json()["secret"], created.json()["apiKey"]["id"]
    assert secret.startswith("atl_")
    for header in ({"X-API-Key": secret}, {"Authorization": f"Bearer {secret}"}):
        me = await local_http.get("/api/v1/users/me", headers=header)
        assert me.json()["id"] == fay["id"]
    listed = (await local_http.get("/api/v1/api-keys", headers=fay["headers"])).json()
    assert [k["prefix"] for k in listed] == [created.json()["apiKey"]["prefix"]]
    assert "secret" not in listed[0]
    assert (await local_http.delete(f"/api/v1/api-keys/{key_id}", headers=fay["headers"])).status_code == 204
    revoked = await local_http.get("/api/v1/users/me", headers={"X-API-Key": secret})
    assert (revoked.status_code, revoked.json()["code"]) == (401, "UNAUTHENTICATED")


async def verify(engine: AsyncEngine, user_id: object) -> None:
    """Mark an address verified, as its verification link would (tests/security covers the link itself)."""
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE users SET email_verified_at = now() WHERE id = :id"), {"id": user_id})


async def test_invitation_by_email_is_accepted_once_the_address_is_verified(
    local_http: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    owner = await sign_up(local_http, "owner@example.com")
    board = (await local_http.post("/api/v1/boards", json={"title": "Team"}, headers=owner["headers"])).json()
    invite = {"email": "Newbie@Example.com", "role": "editor"}
    invitation = await local_http.post(
        f"/api/v1/boards/{board['id']}/invitations", json=invite, headers=owner["headers"]
    )
    assert invitation.status_code == 201
    assert invitation.json()["status"] == "pending"
    newbie = await sign_up(local_http, "newbie@example.com")
    unverified = await local_http.get(f"/api/v1/boards/{board['id']}", headers=newbie["headers"])
    assert unverified.status_code == 404
    await verify(engine, newbie["id"])
    await local_http.post("/api/v1/auth/login", json={"email": "newbie@example.com", "password": PASSWORD})
    got = await local_http.get(f"/api/v1/boards/{board['id']}", headers=newbie["headers"])
    assert got.status_code == 200
    members = (
        await local_http.get(f"/api/v1/boards/{board['id']}/members", headers=newbie["headers"])
    ).json()
    assert [(m["userId"], m["role"]) for m in members] == [(newbie["id"], "editor")]
    invitations = (
        await local_http.get(f"/api/v1/boards/{board['id']}/invitations", headers=owner["headers"])
    ).json()
    assert invitations[0]["status"] == "accepted"


async def test_inviting_an_existing_verified_user_adds_them_at_once(
    local_http: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    owner = await sign_up(local_http, "own2@example.com")
    guest = await sign_up(local_http, "guest@example.com")
    await verify(engine, guest["id"])
    board = (await local_http.post("/api/v1/boards", json={"title": "Now"}, headers=owner["headers"])).json()
    body = {"email": "guest@example.com", "role": "viewer"}
    await local_http.post(f"/api/v1/boards/{board['id']}/invitations", json=body, headers=owner["headers"])
    assert (
        await local_http.get(f"/api/v1/boards/{board['id']}", headers=guest["headers"])
    ).status_code == 200


async def test_a_member_may_leave_but_not_remove_others(local_http: httpx.AsyncClient) -> None:
    owner = await sign_up(local_http, "o3@example.com")
    a, b = await sign_up(local_http, "a3@example.com"), await sign_up(local_http, "b3@example.com")
    board = (await local_http.post("/api/v1/boards", json={"title": "Club"}, headers=owner["headers"])).json()
    for person in (a, b):
        body = {"userId": person["id"], "role": "editor"}
        await local_http.post(f"/api/v1/boards/{board['id']}/members", json=body, headers=owner["headers"])
    url = f"/api/v1/boards/{board['id']}/members"
    assert (await local_http.delete(f"{url}/{b['id']}", headers=a["headers"])).status_code == 403
    assert (await local_http.delete(f"{url}/{a['id']}", headers=a["headers"])).status_code == 204


@pytest.mark.parametrize("env", ["production"])
def test_none_auth_refuses_to_start_in_production(env: str) -> None:
    from pydantic import ValidationError

    from app.settings import Settings

    with pytest.raises(ValidationError, match="development only"):
        Settings(env=env, auth="none", database_url="postgresql+asyncpg://x@h/d", redis_url="redis://h")


async def test_forged_local_tokens_are_401(local_http: httpx.AsyncClient) -> None:
    import base64
    import json
    from datetime import UTC, datetime, timedelta
    from uuid import UUID

    from app.auth.tokens import LocalTokenIssuer
    from tests.conftest import AUTH_SECRET

    user = await sign_up(local_http, "forge@example.com")
    token = user["session"]["accessToken"]  # type: ignore[index]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))

    def b64(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    past = LocalTokenIssuer(AUTH_SECRET, clock=lambda: datetime.now(UTC) - timedelta(hours=2))
    expired, _ = past.issue_access(UUID(user["id"]), UUID(claims["tid"]), is_admin=False, email=None)  # type: ignore[arg-type]
    wrong_secret, _ = LocalTokenIssuer("y" * 48).issue_access(
        UUID(user["id"]),
        UUID(claims["tid"]),
        is_admin=True,
        email=None,  # type: ignore[arg-type]
    )
    forged = {
        "alg none": f"{b64({'alg': 'none', 'typ': 'at+jwt'})}.{payload}.",
        "admin claim flipped": f"{header}.{b64({**claims, 'adm': True})}.{signature}",
        "expired": expired,
        "another server's secret": wrong_secret,
    }
    for name, bad in forged.items():
        response = await local_http.get("/api/v1/users/me", headers={"Authorization": f"Bearer {bad}"})
        assert (response.status_code, response.json()["code"]) == (401, "UNAUTHENTICATED"), name


@pytest.mark.parametrize("via", ["rest", "graphql"])
async def test_a_revoked_invitation_no_longer_admits_its_address(
    local_http: httpx.AsyncClient, via: str
) -> None:
    owner = await sign_up(local_http, "owner@example.com")
    board = (await local_http.post("/api/v1/boards", json={"title": "Team"}, headers=owner["headers"])).json()
    url = f"/api/v1/boards/{board['id']}/invitations"
    invitation = (
        await local_http.post(
            url, json={"email": "late@example.com", "role": "viewer"}, headers=owner["headers"]
        )
    ).json()
    if via == "rest":
        revoked = (await local_http.delete(f"{url}/{invitation['id']}", headers=owner["headers"])).json()
        again = await local_http.delete(f"{url}/{invitation['id']}", headers=owner["headers"])
        assert (again.status_code, again.json()["code"]) == (404, "NOT_FOUND")
    else:
        mutation = "mutation($b: UUID!, $i: UUID!) { revokeBoardInvitation(boardId: $b, invitationId: $i) { id status } }"
        body = {"query": mutation, "variables": {"b": board["id"], "i": invitation["id"]}}
        revoked = (await local_http.post("/graphql", json=body, headers=owner["headers"])).json()["data"][
            "revokeBoardInvitation"
        ]
        again = (await local_http.post("/graphql", json=body, headers=owner["headers"])).json()
        assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (revoked["id"], revoked["status"]) == (invitation["id"], "revoked")
    late = await sign_up(local_http, "late@example.com")
    assert (await local_http.get(f"/api/v1/boards/{board['id']}", headers=late["headers"])).status_code == 404
