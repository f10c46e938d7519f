"""Production defaults (issue 14, class 9): GraphiQL, introspection and the schema pages are off unless
ATELIER_EXPOSE_SCHEMA=true; the token secret must be a real one; local sign-up follows a per-tenant policy
(open | invite | closed; invite by default in production), so naming a tenant is not a way in."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from pydantic import SecretStr, ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.secrets_policy import weakness
from app.server import create_app
from app.settings import Settings
from tests.conftest import OTHER_TENANT, running, sign_up

STRONG = secrets.token_urlsafe(48)


def production(settings: Settings, **changes: Any) -> Settings:
    values = settings.model_dump() | {"env": "production", "auth_secret": SecretStr(STRONG)} | changes
    return Settings(**values)


@pytest.mark.parametrize(
    "secret",
    ["x" * 40, "abcdefghijklmnopqrstuvwxyz0123456789", "test-secret-" + "x" * 40, "changeme" * 5, "short"],
)
def test_weak_secrets_are_refused_in_production(local_settings: Settings, secret: str) -> None:
    assert weakness(secret) is not None
    with pytest.raises(ValidationError, match="ATELIER_AUTH_SECRET"):
        production(local_settings, auth_secret=SecretStr(secret))


def test_random_secrets_pass(local_settings: Settings) -> None:
    for _ in range(20):
        assert weakness(secrets.token_urlsafe(32)) is None
        assert weakness(secrets.token_hex(32)) is None
    assert production(local_settings).auth_secret is not None


def test_schema_pages_are_off_in_production_unless_exposed(local_settings: Settings) -> None:
    hidden = production(local_settings)
    assert (hidden.graphql_ide, hidden.graphql_introspection, hidden.openapi_enabled) == (False, False, False)
    assert hidden.signup_policy == "invite"
    shown = production(local_settings, expose_schema=True)
    assert (shown.graphql_ide, shown.graphql_introspection, shown.openapi_enabled) == (True, True, True)
    assert local_settings.graphql_ide  # development keeps them


@pytest.fixture(scope="module")
async def production_app(local_settings: Settings, other_tenant: str) -> AsyncIterator[Litestar]:
    async with running(create_app(production(local_settings))) as application:
        yield application


async def test_a_production_app_hides_its_schema(production_app: Litestar) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=production_app), base_url="http://a.test"
    ) as http:
        assert (await http.get("/schema")).status_code == 404
        assert (await http.get("/schema/openapi.json")).status_code == 404
        introspection = (
            await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        ).json()
        assert introspection["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        ide = await http.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in ide.text.lower()


async def tenant_policy(engine: AsyncEngine, policy: str | None) -> None:
    async with engine.begin() as conn:
        if policy is None:
            await conn.execute(
                text("UPDATE tenants SET settings = settings - 'signup' WHERE slug = :s"), {"s": OTHER_TENANT}
            )
        else:
            await conn.execute(
                text(
                    "UPDATE tenants SET settings = settings || jsonb_build_object('signup', CAST(:p AS text)) WHERE slug = :s"
                ),
                {"p": policy, "s": OTHER_TENANT},
            )


async def test_invite_only_tenants_refuse_strangers(
    local_http: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await tenant_policy(engine, "invite")
    try:
        first = await sign_up(
            local_http, "founder@other.test", tenant=OTHER_TENANT
        )  # the tenant's first account
        stranger = await local_http.post(
            "/api/v1/auth/signup", json={"email": "stranger@evil.test", "password": "correct horse 42"},
            headers={"X-Tenant": OTHER_TENANT},
        )  # fmt: skip
        assert (stranger.status_code, stranger.json()["code"]) == (403, "FORBIDDEN")
        mutation = 'mutation { signUp(input: {email: "s2@evil.test", password: "correct horse 42"}) { accessToken } }'
        body = (
            await local_http.post("/graphql", json={"query": mutation}, headers={"X-Tenant": OTHER_TENANT})
        ).json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        board = await local_http.post("/api/v1/boards", json={"title": "Team"}, headers=first["headers"])
        await local_http.post(
            f"/api/v1/boards/{board.json()['id']}/invitations", json={"email": "hire@other.test", "role": "viewer"},
            headers=first["headers"],
        )  # fmt: skip
        await sign_up(local_http, "hire@other.test", tenant=OTHER_TENANT)  # invited: allowed
        await tenant_policy(engine, "closed")
        closed = await local_http.post(
            "/api/v1/auth/signup", json={"email": "late@other.test", "password": "correct horse 42"},
            headers={"X-Tenant": OTHER_TENANT},
        )  # fmt: skip
        assert closed.status_code == 403
    finally:
        await tenant_policy(engine, None)
