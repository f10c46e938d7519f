"""External identity providers through the real HTTP stack: an OIDC provider served on loopback by the test,
users provisioned on first sight, and every JWT attack answered with a 401 problem body (never a 500)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from litestar import Litestar

from app.auth.tokens import JwtConfig
from app.server import create_app
from app.settings import Settings
from tests.conftest import OTHER_TENANT, running
from tests.integration.auth.test_jwks_oidc import ATTACKER, AUDIENCE, RSA_1, Idp, jwk

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture(scope="module")
def idp() -> Iterator[Idp]:
    with Idp() as server:
        server.publish(("k1", RSA_1))
        server.documents["/.well-known/openid-configuration"] = {
            "issuer": server.base,
            "jwks_uri": server.base + "/jwks",
        }
        yield server


@pytest.fixture(scope="module")
async def oidc_app(settings: Settings, idp: Idp, other_tenant: str) -> AsyncIterator[Litestar]:
    config = JwtConfig(issuer=idp.base, audience=AUDIENCE, claims={"tenant": "org", "admin": "roles=admin"})
    oidc = settings.model_copy(
        update={"auth": "oidc", "jwt": config, "tenant_mode": "claim", "worker_in_process": False,
                "rate_limit_namespace": f"rl:{uuid4()}"}
    )  # fmt: skip
    async with running(create_app(oidc)) as app:
        yield app


@pytest.fixture
async def http(oidc_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=oidc_app), base_url="http://t") as client:
        yield client


def _token(
    idp: Idp, *, key: Any = RSA_1, kid: str | None = "k1", algorithm: str = "RS256", **claims: Any
) -> str:
    now = int(time.time())
    payload = {
        "iss": idp.base,
        "aud": AUDIENCE,
        "sub": f"sub-{uuid4().hex[:8]}",
        "iat": now,
        "exp": now + 300,
    }
    payload.update(claims)
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid} if kid else None)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _hs256_by_hand(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """Key confusion: PyJWT refuses to build this token, an attacker would not."""
    signing_input = f"{_b64(header)}.{_b64(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


async def _me(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


async def test_a_valid_token_provisions_the_user_once(http: httpx.AsyncClient, idp: Idp) -> None:
    token = _token(idp, sub="alice", email="alice@example.com", email_verified=True, name="Alice")
    first = await _me(http, token)
    assert first.status_code == 200, first.text
    assert (first.json()["authProvider"], first.json()["authSubject"]) == ("oidc", "alice")
    assert first.json()["displayName"] == "Alice"
    again = await _me(http, _token(idp, sub="alice"))  # a new token for the same subject
    assert again.json()["id"] == first.json()["id"]


async def test_the_tenant_comes_from_the_claim_and_unknown_tenants_are_refused(
    http: httpx.AsyncClient, idp: Idp
) -> None:
    in_other = await _me(http, _token(idp, sub="bob", org=OTHER_TENANT))
    default = (await http.get("/api/v1/tenant", headers={"Authorization": f"Bearer {_token(idp)}"})).json()
    assert in_other.status_code == 200
    assert in_other.json()["tenantId"] != default["id"]
    unknown = await _me(http, _token(idp, org="no-such-tenant"))
    assert (unknown.status_code, unknown.json()["code"]) == (400, "BAD_USER_INPUT")
    mismatch = await http.get(
        "/api/v1/users/me",
        headers={"Authorization": f"Bearer {_token(idp, org=OTHER_TENANT)}", "X-Tenant": "default"},
    )
    assert mismatch.status_code == 401


async def test_the_admin_claim_grants_tenant_administration(http: httpx.AsyncClient, idp: Idp) -> None:
    admin = {"Authorization": f"Bearer {_token(idp, sub='root', roles=['admin'])}"}
    plain = {"Authorization": f"Bearer {_token(idp, sub='pleb', roles=['user'])}"}
    assert (await http.patch("/api/v1/tenant", json={"settings": {"x": 1}}, headers=admin)).status_code == 200
    assert (await http.patch("/api/v1/tenant", json={"settings": {"x": 2}}, headers=plain)).status_code == 403


def _attacks(idp: Idp) -> dict[str, str]:
    public_pem = RSA_1.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    valid = _token(idp)
    header, payload, signature = valid.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return {
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "HS256 with the RSA public key as secret": _hs256_by_hand(
            public_pem, {"alg": "HS256", "kid": "k1"}, claims
        ),
        "expired": _token(idp, iat=now - 3600, exp=now - 600),
        "not yet valid": _token(idp, nbf=now + 3600),
        "wrong issuer": _token(idp, iss="https://evil.example"),
        "wrong audience": _token(idp, aud="someone-else"),
        "unknown kid": _token(idp, kid="k-unknown"),
        "signed by another key": _token(idp, key=ATTACKER),
        "tampered payload": f"{header}.{_b64({**claims, 'sub': 'admin'})}.{signature}",
        "tampered signature": f"{header}.{payload}.{signature[:-4]}AAAA",
        "garbage": "not-a-token",
        "empty segments": "..",
        "huge": "a" * 20_000,
    }


@pytest.mark.parametrize(
    "attack",
    ["alg none", "HS256 with the RSA public key as secret", "expired", "not yet valid", "wrong issuer",
     "wrong audience", "unknown kid", "signed by another key", "tampered payload", "tampered signature",
     "garbage", "empty segments", "huge"],
)  # fmt: skip
async def test_every_jwt_attack_is_a_clear_401(http: httpx.AsyncClient, idp: Idp, attack: str) -> None:
    for path in ("/api/v1/users/me", "/graphql"):
        headers = {"Authorization": f"Bearer {_attacks(idp)[attack]}"}
        response = (
            await http.get(path, headers=headers)
            if path != "/graphql"
            else await http.post(path, json={"query": "{ me { id } }"}, headers=headers)
        )
        assert response.status_code == 401, (attack, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "UNAUTHENTICATED"
        assert body["detail"].startswith("invalid token: ")


async def test_malformed_authorization_headers_are_401(http: httpx.AsyncClient) -> None:
    for value in ("Basic abc", "Bearer", "Bearer   ", "token abc"):
        response = await http.get("/api/v1/users/me", headers={"Authorization": value})
        assert response.status_code == 401, value


async def test_invitations_need_a_verified_email(http: httpx.AsyncClient, idp: Idp) -> None:
    owner = {"Authorization": f"Bearer {_token(idp, sub='owner')}"}
    board = (await http.post("/api/v1/boards", json={"title": "Invite-only"}, headers=owner)).json()
    for email in ("claimer@example.com", "verified@example.com"):
        body = {"email": email, "role": "viewer"}
        await http.post(f"/api/v1/boards/{board['id']}/invitations", json=body, headers=owner)
    unverified = _token(idp, sub="claimer", email="claimer@example.com", email_verified=False)
    verified = _token(idp, sub="verified", email="verified@example.com", email_verified=True)
    url = f"/api/v1/boards/{board['id']}"
    assert (await http.get(url, headers={"Authorization": f"Bearer {unverified}"})).status_code == 404
    assert (await http.get(url, headers={"Authorization": f"Bearer {verified}"})).status_code == 200


def test_jwk_helper_is_shared() -> None:
    assert jwk("k1", RSA_1)["kid"] == "k1"


async def test_concurrent_first_requests_provision_one_user(
    http: httpx.AsyncClient, idp: Idp, engine: Any
) -> None:
    import asyncio

    from sqlalchemy import text

    subject = f"racer-{uuid4().hex[:6]}"
    tokens = [_token(idp, sub=subject) for _ in range(10)]
    responses = await asyncio.gather(*(_me(http, t) for t in tokens))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["id"] for r in responses}) == 1
    async with engine.connect() as conn:
        count = (
            await conn.execute(text("SELECT count(*) FROM users WHERE auth_subject = :s"), {"s": subject})
        ).scalar()
    assert count == 1
