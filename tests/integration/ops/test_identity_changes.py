"""A change an admin makes reaches every API process at once (issue 17): each process caches tenants and
externally provisioned users for 60 s, and a disable or enable is announced through Redis pub/sub after it
commits, so a SECOND app instance (its own caches, its own pub/sub connection) refuses the next request. Also:
the CLI's changes reach a running app the same way, and workers claim no generation of a disabled tenant."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from uuid import UUID, uuid4

import httpx
import jwt
import pytest
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.auth.tokens import JwtConfig
from app.db.autocommit import AUTOCOMMIT
from app.server import create_app
from app.settings import Settings
from app.wiring import build_lifecycle, build_sweeper
from tests.conftest import Servers, running, seed_generations, sign_up
from tests.integration.auth.test_jwks_oidc import AUDIENCE, RSA_1, Idp
from tests.integration.ops.tenants_helpers import (
    ROOT,
    admin_headers,
    create,
    instance_settings,
    new_slug,
    set_state,
)
from tests.integration.ops.test_admin_api import _cli

pytestmark = pytest.mark.usefixtures("clean_db")
AT_ONCE_S = 2.0  # pub/sub takes milliseconds; the caches would keep the old answer for 60 s


async def _client(app: Litestar) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def _within(seconds: float, check: Callable[[], Awaitable[bool]]) -> float:
    """How long until `check` holds (fails the test past `seconds`)."""
    start = time.monotonic()
    while not await check():
        assert time.monotonic() - start < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - start


@pytest.fixture(scope="module")
async def two_apps(local_settings: Settings, other_tenant: str) -> AsyncIterator[tuple[Litestar, Litestar]]:
    settings = instance_settings(local_settings)
    async with running(create_app(settings)) as first, running(create_app(settings)) as second:
        yield first, second


async def test_a_second_api_process_refuses_a_disabled_tenant_at_once(
    two_apps: tuple[Litestar, Litestar],
) -> None:
    async with await _client(two_apps[0]) as a, await _client(two_apps[1]) as b:
        root = admin_headers(await sign_up(a, ROOT))
        slug = new_slug()
        tenant = await create(a, "rest", root, slug, "Two processes")
        user = await sign_up(a, f"cy@{slug}.test", tenant=slug)
        headers: dict[str, str] = user["headers"]  # type: ignore[assignment]

        async def status() -> int:
            return (await b.get("/api/v1/users/me", headers=headers)).status_code

        assert await status() == 200  # B has cached the tenant as active

        await set_state(a, "rest", root, tenant["id"], on=False)
        await _within(AT_ONCE_S, lambda: _is(status, 403))
        refused = await b.post("/graphql", json={"query": "{ me { id } }"}, headers=headers)
        assert refused.json()["errors"][0]["extensions"]["reason"] == "TENANT_DISABLED"

        await set_state(a, "graphql", root, tenant["id"], on=True)  # B had cached the disabled state too
        await _within(AT_ONCE_S, lambda: _is(status, 200))


async def _is(probe: Callable[[], Awaitable[int]], expected: int) -> bool:
    return await probe() == expected


@pytest.fixture(scope="module")
def idp() -> Iterator[Idp]:
    with Idp() as server:
        server.publish(("k1", RSA_1))
        server.documents["/.well-known/openid-configuration"] = {
            "issuer": server.base,
            "jwks_uri": server.base + "/jwks",
        }
        yield server


def _oidc_token(idp: Idp, sub: str, **claims: object) -> dict[str, str]:
    now = int(time.time())
    payload = {"iss": idp.base, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 300, **claims}
    return {"Authorization": f"Bearer {jwt.encode(payload, RSA_1, algorithm='RS256', headers={'kid': 'k1'})}"}


@pytest.mark.parametrize("via", ["api", "cli"])
async def test_a_second_api_process_refuses_a_disabled_oidc_user_at_once(
    settings: Settings, idp: Idp, servers: Servers, via: str
) -> None:
    """Also when the operator disables the user with `python -m app admin disable-user` (the CLI once left
    the other processes' cached user alone for up to 60 s)."""
    env = {**os.environ, "ATELIER_DATABASE_URL": servers.database_url, "ATELIER_REDIS_URL": servers.redis_url}
    config = JwtConfig(issuer=idp.base, audience=AUDIENCE, claims={"admin": "roles=admin"})
    oidc = settings.model_copy(
        update={
            "auth": "oidc",
            "jwt": config,
            "worker_in_process": False,
            "rate_limit_namespace": f"rl:{uuid4()}",
        }
    )
    async with (
        running(create_app(oidc)) as first,
        running(create_app(oidc)) as second,
        await _client(first) as a,
        await _client(second) as b,
    ):
        admin = _oidc_token(idp, f"boss-{uuid4().hex[:6]}", roles=["admin"])
        email = f"dee-{uuid4().hex[:6]}@example.com"
        user = _oidc_token(idp, email.split("@", maxsplit=1)[0], email=email)
        me = await b.get("/api/v1/users/me", headers=user)  # provisioned and cached by B
        assert me.status_code == 200, me.text

        async def status() -> int:
            return (await b.get("/api/v1/users/me", headers=user)).status_code

        async def change(action: str) -> None:
            if via == "api":
                done = await a.post(f"/api/v1/admin/users/{me.json()['id']}/{action}", headers=admin)
                assert done.status_code == 204, done.text
            else:
                ran = await asyncio.to_thread(_cli, env, f"{action}-user", oidc.default_tenant_slug, email)
                assert ran.returncode == 0, ran.stderr

        await change("disable")
        await _within(AT_ONCE_S, lambda: _is(status, 403))
        refused = await b.get("/api/v1/users/me", headers=user)
        assert (refused.json()["code"], refused.json()["reason"]) == ("FORBIDDEN", "ACCOUNT_DISABLED")
        assert (await a.get("/api/v1/users/me", headers=user)).status_code == 403

        await change("enable")
        await _within(AT_ONCE_S, lambda: _is(status, 200))


async def test_the_cli_manages_tenants_and_a_running_app_follows_at_once(
    two_apps: tuple[Litestar, Litestar], servers: Servers
) -> None:
    env = {**os.environ, "ATELIER_DATABASE_URL": servers.database_url, "ATELIER_REDIS_URL": servers.redis_url}
    slug = new_slug()
    done = await asyncio.to_thread(_cli, env, "create-tenant", slug, "By the operator")
    assert done.returncode == 0, done.stderr
    async with await _client(two_apps[1]) as b:
        user = await sign_up(b, f"eve@{slug}.test", tenant=slug)
        headers: dict[str, str] = user["headers"]  # type: ignore[assignment]

        async def status() -> int:
            return (await b.get("/api/v1/users/me", headers=headers)).status_code

        assert await status() == 200
        done = await asyncio.to_thread(_cli, env, "disable-tenant", slug)
        assert done.returncode == 0, done.stderr
        await _within(AT_ONCE_S, lambda: _is(status, 403))
        listed = await asyncio.to_thread(_cli, env, "tenants")
        assert [line.split()[2] for line in listed.stdout.splitlines() if f" {slug} " in line] == ["disabled"]
        done = await asyncio.to_thread(_cli, env, "enable-tenant", slug)
        assert done.returncode == 0, done.stderr
        await _within(AT_ONCE_S, lambda: _is(status, 200))
        log = (await b.get("/api/v1/admin/audit", headers=admin_headers(user, slug))).json()
        assert [(e["action"], e["actorLabel"]) for e in log] == [
            ("tenant.enable", "cli"),
            ("tenant.disable", "cli"),
            ("tenant.create", "cli"),
        ]
    missing = await asyncio.to_thread(_cli, env, "disable-tenant", "no-such-tenant")
    assert missing.returncode != 0 and "no tenant" in missing.stderr


async def test_workers_claim_no_generation_of_a_disabled_tenant(
    two_apps: tuple[Litestar, Litestar], engine: AsyncEngine
) -> None:
    async with await _client(two_apps[0]) as a:
        root = admin_headers(await sign_up(a, ROOT))
        slug = new_slug()
        tenant = await create(a, "rest", root, slug, "Paused")
        user = await sign_up(a, f"fay@{slug}.test", tenant=slug)
        board = (await a.post("/api/v1/boards", json={"title": "b"}, headers=user["headers"])).json()  # type: ignore[arg-type]
        [generation] = await seed_generations(
            engine, board["id"], str(user["id"]), 1, status="pending", progress=0
        )
        await set_state(a, "rest", root, tenant["id"], on=False)
        tenant_id, generation_id = UUID(tenant["id"]), UUID(generation)

        async with engine.execution_options(**AUTOCOMMIT).connect() as connection:  # as a worker claims
            assert await build_lifecycle(connection, tenant_id).claim(generation_id, "worker-x", 15.0) is None
        async with AsyncSession(engine, expire_on_commit=False) as session:
            waiting = await build_sweeper(session).pending_older_than(0.0)
            assert generation_id not in {stale.generation_id for stale in waiting}

        await set_state(a, "rest", root, tenant["id"], on=True)
        async with AsyncSession(engine, expire_on_commit=False) as session:
            waiting = await build_sweeper(session).pending_older_than(0.0)
            assert generation_id in {stale.generation_id for stale in waiting}
        async with engine.execution_options(**AUTOCOMMIT).connect() as connection:
            claimed = await build_lifecycle(connection, tenant_id).claim(generation_id, "worker-x", 15.0)
            assert claimed is not None
        async with engine.begin() as conn:  # leave no processing row for another test's sweeper
            await conn.execute(
                text(
                    "UPDATE generations SET status = 'cancelled', completed_at = now(), lease_owner = NULL,"
                    " lease_expires_at = NULL WHERE id = :id"
                ),
                {"id": generation_id},
            )
