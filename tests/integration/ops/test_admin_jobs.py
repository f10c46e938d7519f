"""SAQ's job dashboard at /admin/jobs: instance admins only (several tenants: ATELIER_INSTANCE_ADMINS)."""

from __future__ import annotations

import base64
import json
from typing import Any
from uuid import UUID

import httpx
import pytest

from app.auth.tokens import LocalTokenIssuer
from app.server import create_app
from app.settings import Settings
from tests.conftest import AUTH_SECRET, running, sign_up

pytestmark = pytest.mark.usefixtures("clean_db")


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


def _bearer(user: dict[str, Any], *, admin: bool) -> dict[str, str]:
    claims = _claims(user["session"]["accessToken"])
    token, _ = LocalTokenIssuer(AUTH_SECRET).issue_access(
        UUID(user["id"]), UUID(claims["tid"]), is_admin=admin, email=user["email"]
    )
    return {"Authorization": f"Bearer {token}"}


async def test_the_job_dashboard_answers_instance_admins_only(local_settings: Settings) -> None:
    settings = local_settings.model_copy(update={"instance_admins": ["Root@Example.com"]})
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        root = await sign_up(http, "root@example.com")
        tenant_admin = await sign_up(http, "boss@example.com")
        plain = await sign_up(http, "plain@example.com")
        api = "/admin/jobs/api/queues"
        assert (await http.get(api)).status_code == 401
        assert (await http.get(api, headers=_bearer(plain, admin=False))).status_code == 403
        assert (await http.get(api, headers=_bearer(tenant_admin, admin=True))).status_code == 403
        refused = await http.get("/admin/jobs", headers=_bearer(plain, admin=False))
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        served = await http.get(api, headers=_bearer(root, admin=True))
        assert served.status_code == 200, served.text
        assert settings.queue_name in json.dumps(served.json())
        page = await http.get("/admin/jobs", headers=_bearer(root, admin=True))
        assert page.status_code == 200 and "html" in page.headers["content-type"]
