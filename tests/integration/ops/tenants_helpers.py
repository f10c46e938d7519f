"""Shared by the instance-administration tests: an app whose instance admin is root@example.com, and small
REST/GraphQL helpers acting on tenants."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx

from app.settings import Settings
from tests.integration.ops.test_admin_jobs import _bearer

ROOT = "root@example.com"
FIELDS = "id name slug disabledAt userCount boardCount"
CREATE = f"mutation ($input: CreateTenantInput!) {{ createTenant(input: $input) {{ {FIELDS} }} }}"
RENAME = f"mutation ($id: UUID!, $input: RenameTenantInput!) {{ renameTenant(id: $id, input: $input) {{ {FIELDS} }} }}"
DISABLE = "mutation ($id: UUID!) { disableTenant(id: $id) }"
ENABLE = "mutation ($id: UUID!) { enableTenant(id: $id) }"
LIST = f"query {{ instanceTenants(limit: 200) {{ {FIELDS} }} }}"
ONE = f"query ($id: UUID!) {{ instanceTenant(id: $id) {{ {FIELDS} }} }}"


def instance_settings(local_settings: Settings) -> Settings:
    return local_settings.model_copy(update={"instance_admins": [ROOT.upper()]})


def new_slug() -> str:
    return f"t-{uuid4().hex[:10]}"


async def gql(
    http: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    answer = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def admin_headers(user: dict[str, Any], tenant: str | None = None) -> dict[str, str]:
    """A tenant-admin bearer for a signed-up user (and the X-Tenant header of their tenant)."""
    return {**_bearer(user, admin=True), **({"X-Tenant": tenant} if tenant else {})}


async def create(
    http: httpx.AsyncClient, via: str, headers: dict[str, str], slug: str, name: str
) -> dict[str, Any]:
    if via == "rest":
        answer = await http.post(
            "/api/v1/instance/tenants", json={"slug": slug, "name": name}, headers=headers
        )
        assert answer.status_code == 201, answer.text
        return answer.json()  # type: ignore[no-any-return]
    data = await gql(http, CREATE, headers, input={"slug": slug, "name": name})
    assert "errors" not in data, data
    return data["data"]["createTenant"]  # type: ignore[no-any-return]


async def set_state(
    http: httpx.AsyncClient, via: str, headers: dict[str, str], tenant_id: str, *, on: bool
) -> None:
    if via == "rest":
        action = "enable" if on else "disable"
        answer = await http.post(f"/api/v1/instance/tenants/{tenant_id}/{action}", headers=headers)
        assert answer.status_code == 204, answer.text
    else:
        data = await gql(http, ENABLE if on else DISABLE, headers, id=tenant_id)
        assert data == {"data": {"enableTenant" if on else "disableTenant": True}}, data
