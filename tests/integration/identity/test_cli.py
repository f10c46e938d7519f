"""Operator commands: tenants are created (and admins granted) from the CLI, never from request input."""

from __future__ import annotations

import os
import subprocess
import sys
from uuid import uuid4

import httpx

from tests.conftest import Servers, sign_up


def _cli(servers: Servers, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATELIER_DATABASE_URL": servers.database_url, "ATELIER_REDIS_URL": servers.redis_url}
    return subprocess.run(
        [sys.executable, "-m", "app", "tenants", *args], env=env, capture_output=True, text=True, check=False
    )


async def test_create_tenant_then_grant_admin(servers: Servers, local_http: httpx.AsyncClient) -> None:
    slug = f"acme-{uuid4().hex[:6]}"
    created = _cli(servers, "create", slug, "Acme")
    assert created.returncode == 0, created.stderr
    assert _cli(servers, "create", slug, "Acme").returncode != 0  # exists
    user = await sign_up(local_http, "boss@example.com", tenant=slug)
    denied = await local_http.patch("/api/v1/tenant", json={"name": "Acme Inc"}, headers=user["headers"])
    assert denied.status_code == 403
    granted = _cli(servers, "grant-admin", slug, "boss@example.com")
    assert granted.returncode == 0, granted.stderr
    login = await local_http.post(
        "/api/v1/auth/login",
        json={"email": "boss@example.com", "password": "correct horse 42"},
        headers={"X-Tenant": slug},
    )
    headers = {"Authorization": f"Bearer {login.json()['accessToken']}", "X-Tenant": slug}
    renamed = await local_http.patch("/api/v1/tenant", json={"name": "Acme Inc"}, headers=headers)
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Acme Inc")


def test_help_lists_every_command_group_without_servers() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--help"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for group in ("up", "tenants", "database", "workers", "run"):
        assert f" {group} " in result.stdout or f" {group}\n" in result.stdout, (group, result.stdout)
