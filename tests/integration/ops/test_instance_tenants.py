"""Instance admins manage tenants (issue 17): create, list with counts, rename, disable and re-enable through
REST and GraphQL (one TenantAdminService, the rule in app.domain.tenants.policy), every change audited. A
disabled tenant's every request is refused with 403 (reason TENANT_DISABLED), its data is kept. Tenant
admins get 403 on every instance operation, and being an instance admin opens no other tenant's boards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar

from app.server import create_app
from app.settings import Settings
from tests.conftest import OTHER_TENANT, running, sign_up
from tests.integration.ops.tenants_helpers import (
    DISABLE,
    ENABLE,
    LIST,
    ONE,
    RENAME,
    ROOT,
    admin_headers,
    create,
    gql,
    instance_settings,
    new_slug,
    set_state,
)

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture(scope="module")
async def root_app(local_settings: Settings, other_tenant: str) -> AsyncIterator[Litestar]:
    async with running(create_app(instance_settings(local_settings))) as app:
        yield app


@pytest.fixture
async def http(root_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=root_app), base_url="http://t") as client:
        yield client


@pytest.fixture
async def root(http: httpx.AsyncClient) -> dict[str, str]:
    return admin_headers(await sign_up(http, ROOT))


@pytest.mark.parametrize("via", ["rest", "graphql"])
async def test_instance_admins_create_list_and_rename_tenants(
    http: httpx.AsyncClient, root: dict[str, str], via: str
) -> None:
    slug = new_slug()
    created = await create(http, via, root, slug, "  Acme  ")
    assert (created["slug"], created["name"], created["disabledAt"]) == (slug, "Acme", None)
    assert (created["userCount"], created["boardCount"]) == (0, 0)
    member = await sign_up(http, f"ann@{slug}.test", tenant=slug)
    board = await http.post("/api/v1/boards", json={"title": "b"}, headers=member["headers"])  # type: ignore[arg-type]
    assert board.status_code == 201, board.text

    if via == "rest":
        listed = (await http.get("/api/v1/instance/tenants?limit=200", headers=root)).json()
        renamed = (await http.patch(f"/api/v1/instance/tenants/{created['id']}", json={"name": "Acme Ltd"},
                                    headers=root)).json()  # fmt: skip
        one = (await http.get(f"/api/v1/instance/tenants/{created['id']}", headers=root)).json()
    else:
        listed = (await gql(http, LIST, root))["data"]["instanceTenants"]
        renamed = (await gql(http, RENAME, root, id=created["id"], input={"name": "Acme Ltd"}))["data"][
            "renameTenant"
        ]
        one = (await gql(http, ONE, root, id=created["id"]))["data"]["instanceTenant"]
    mine = [t for t in listed if t["slug"] == slug]
    assert [(t["userCount"], t["boardCount"]) for t in mine] == [(1, 1)]
    assert {"default", OTHER_TENANT} <= {t["slug"] for t in listed}
    assert (renamed["name"], renamed["slug"]) == ("Acme Ltd", slug)
    assert (one["name"], one["userCount"], one["boardCount"]) == ("Acme Ltd", 1, 1)

    tenant_admin = admin_headers(member, slug)  # the tenant's own log shows what the instance admin did
    log = (await http.get("/api/v1/admin/audit", headers=tenant_admin)).json()
    assert [(e["action"], e["actorLabel"], e["targetId"]) for e in log] == [
        ("tenant.rename", ROOT, created["id"]),
        ("tenant.create", ROOT, created["id"]),
    ]
    own = (await http.get("/api/v1/admin/audit", headers=root)).json()  # and the admin's own tenant's
    assert [e["action"] for e in own] == ["tenant.rename", "tenant.create"]


async def test_bad_input_is_a_clear_4xx(http: httpx.AsyncClient, root: dict[str, str]) -> None:
    slug = new_slug()
    await create(http, "rest", root, slug, "First")
    again = await http.post("/api/v1/instance/tenants", json={"slug": slug, "name": "Again"}, headers=root)
    assert (again.status_code, again.json()["code"]) == (409, "CONFLICT")
    for body in ({"slug": "Bad Slug", "name": "x"}, {"slug": "-x", "name": "x"}, {"slug": "ok", "name": "   "},
                 {"slug": "ok", "name": "x", "extra": 1}, {"slug": "x" * 64, "name": "x"}):  # fmt: skip
        refused = await http.post("/api/v1/instance/tenants", json=body, headers=root)
        assert refused.status_code == 400, (body, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    missing = await http.post(f"/api/v1/instance/tenants/{uuid4()}/disable", headers=root)
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")
    unknown = await gql(http, RENAME, root, id=str(uuid4()), input={"name": "x"})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    duplicate = await gql(http, "mutation ($i: CreateTenantInput!) { createTenant(input: $i) { id } }", root,
                          i={"slug": slug, "name": "x"})  # fmt: skip
    assert duplicate["errors"][0]["extensions"]["code"] == "CONFLICT"


async def _refused(http: httpx.AsyncClient, headers: dict[str, str]) -> list[tuple[int, str | None]]:
    """(status, reason) of REST /users/me and GraphQL `me`: a disabled tenant is 403 TENANT_DISABLED on both."""
    rest = await http.get("/api/v1/users/me", headers=headers)
    graphql = await http.post("/graphql", json={"query": "{ me { id } }"}, headers=headers)
    answers = []
    for answer in (rest, graphql):
        body = answer.json()
        answers.append((answer.status_code, body.get("reason")))
        if answer.status_code == 403:
            assert answer.headers["content-type"] == "application/problem+json"
            assert body["code"] == "FORBIDDEN"
    if graphql.status_code == 403:  # GraphQL clients read errors[].extensions.code
        extensions = graphql.json()["errors"][0]["extensions"]
        assert (extensions["code"], extensions["reason"]) == ("FORBIDDEN", "TENANT_DISABLED")
    return answers


@pytest.mark.parametrize("via", ["rest", "graphql"])
async def test_a_disabled_tenant_is_refused_at_once_and_its_data_kept(
    http: httpx.AsyncClient, root: dict[str, str], via: str
) -> None:
    slug = new_slug()
    tenant = await create(http, via, root, slug, "Soon disabled")
    user = await sign_up(http, f"bo@{slug}.test", tenant=slug, password="correct horse 42")
    headers: dict[str, str] = user["headers"]  # type: ignore[assignment]
    board = (await http.post("/api/v1/boards", json={"title": "kept"}, headers=headers)).json()
    key = (await http.post("/api/v1/api-keys", json={"name": "script"}, headers=headers)).json()["secret"]
    by_key = {"X-API-Key": key, "X-Tenant": slug}
    assert await _refused(http, headers) == [(200, None), (200, None)]  # cached as active by this process

    await set_state(http, via, root, tenant["id"], on=False)

    disabled = [(403, "TENANT_DISABLED")] * 2
    assert await _refused(http, headers) == disabled  # the session, at once
    assert await _refused(http, by_key) == disabled
    anonymous = await http.get("/api/v1/boards", headers={"X-Tenant": slug})
    assert (anonymous.status_code, anonymous.json()["reason"]) == (403, "TENANT_DISABLED")
    login = {"email": f"bo@{slug}.test", "password": "correct horse 42"}
    assert (await http.post("/api/v1/auth/login", json=login, headers={"X-Tenant": slug})).status_code == 403
    assert (await http.get("/api/v1/users/me", headers=root)).status_code == 200  # other tenants go on
    listed = (await gql(http, LIST, root))["data"]["instanceTenants"]
    assert [
        (t["disabledAt"] is not None, t["userCount"], t["boardCount"]) for t in listed if t["slug"] == slug
    ] == [(True, 1, 1)]

    await set_state(http, via, root, tenant["id"], on=True)

    assert await _refused(http, headers) == [(200, None), (200, None)]
    assert await _refused(http, by_key) == [(200, None), (200, None)]
    again = await http.get(f"/api/v1/boards/{board['id']}", headers=headers)
    assert (again.status_code, again.json()["title"]) == (200, "kept")
    log = (await http.get("/api/v1/admin/audit", headers=admin_headers(user, slug))).json()
    assert [e["action"] for e in log] == ["tenant.enable", "tenant.disable", "tenant.create"]


async def test_nobody_disables_their_own_tenant(http: httpx.AsyncClient, root: dict[str, str]) -> None:
    me = (await http.get("/api/v1/tenant", headers=root)).json()
    refused = await http.post(f"/api/v1/instance/tenants/{me['id']}/disable", headers=root)
    assert (refused.status_code, refused.json()["code"]) == (409, "CONFLICT")
    assert (await http.get("/api/v1/users/me", headers=root)).status_code == 200


def _instance_operations(tenant_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = "/api/v1/instance/tenants"
    return [
        ("GET", base, None),
        ("POST", base, {"slug": new_slug(), "name": "x"}),
        ("GET", f"{base}/{tenant_id}", None),
        ("PATCH", f"{base}/{tenant_id}", {"name": "taken over"}),
        ("POST", f"{base}/{tenant_id}/disable", None),
        ("POST", f"{base}/{tenant_id}/enable", None),
    ]


GRAPHQL_OPERATIONS = [
    (LIST, {}),
    (ONE, {"id": "{id}"}),
    (
        "mutation ($i: CreateTenantInput!) { createTenant(input: $i) { id } }",
        {"i": {"slug": "zz-new", "name": "x"}},
    ),
    (RENAME, {"id": "{id}", "input": {"name": "taken over"}}),
    (DISABLE, {"id": "{id}"}),
    (ENABLE, {"id": "{id}"}),
]


async def test_tenant_admins_get_403_on_every_instance_operation(
    http: httpx.AsyncClient, root: dict[str, str]
) -> None:
    target = await create(http, "rest", root, new_slug(), "Target")
    boss = admin_headers(await sign_up(http, "boss@example.com"))  # a tenant admin, not in the list
    plain = (await sign_up(http, "plain@example.com"))["headers"]
    for caller, status, code in (
        (boss, 403, "FORBIDDEN"),
        (plain, 403, "FORBIDDEN"),
        ({}, 401, "UNAUTHENTICATED"),
    ):
        for method, path, body in _instance_operations(target["id"]):
            answer = await http.request(method, path, json=body, headers=caller)  # type: ignore[arg-type]
            assert (answer.status_code, answer.json()["code"]) == (status, code), (method, path, answer.text)
        for query, variables in GRAPHQL_OPERATIONS:
            filled = {k: target["id"] if v == "{id}" else v for k, v in variables.items()}
            data = await gql(http, query, caller, **filled)  # type: ignore[arg-type]
            assert data["errors"][0]["extensions"]["code"] == code, (query, data)
    after = (await gql(http, ONE, root, id=target["id"]))["data"]["instanceTenant"]
    assert (after["name"], after["disabledAt"]) == ("Target", None)  # nothing changed
    assert "zz-new" not in {t["slug"] for t in (await gql(http, LIST, root))["data"]["instanceTenants"]}


async def test_an_instance_admin_reads_no_other_tenants_boards(
    http: httpx.AsyncClient, root: dict[str, str]
) -> None:
    outsider = await sign_up(http, "outsider@example.com", tenant=OTHER_TENANT)
    private = (
        await http.post("/api/v1/boards", json={"title": "secret"}, headers=outsider["headers"])
    ).json()  # type: ignore[arg-type]
    public = (await http.post("/api/v1/boards", json={"title": "open", "isPublic": True},
                              headers=outsider["headers"])).json()  # type: ignore[arg-type]  # fmt: skip
    for board in (private, public):
        assert (await http.get(f"/api/v1/boards/{board['id']}", headers=root)).status_code == 404
        data = await gql(http, "query ($id: UUID!) { board(id: $id) { title } }", root, id=board["id"])
        assert (
            data.get("data", {}) in ({"board": None}, None)
            or data["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        )
        assert "secret" not in str(data) and "open" not in str(data)
    listed = (await http.get("/api/v1/boards", headers=root)).json()
    assert [b for b in listed["items"] if b["id"] in {private["id"], public["id"]}] == []
    other = await http.get("/api/v1/boards", headers={**root, "X-Tenant": OTHER_TENANT})
    assert other.status_code == 401  # the admin's token is for their own tenant only
