"""E-mail verification and delivery (issue 14, class 1): an invitation is taken only by a verified address
or by whoever holds the mailed invitation link; verification and reset links are single use and expire;
mail goes through the outbox, drained by the SAQ job to a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.server import create_app
from app.settings import Settings
from tests.conftest import running, sign_up
from tests.security.mail import Inbox, mail_worker, smtp_server

PASSWORD = "correct horse 42"


@pytest.fixture(scope="module")
async def mail_app(local_settings: Settings, other_tenant: str) -> AsyncIterator[Litestar]:
    """Local accounts on a queue of its own: no other test app's worker takes this module's mail."""
    settings = local_settings.model_copy(update={"queue_name": f"mail-test-{uuid4().hex[:8]}"})
    async with running(create_app(settings)) as application:
        yield application


@pytest.fixture
async def local_http(mail_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=mail_app), base_url="http://atelier.test"
    ) as http:
        yield http


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
async def drain(local_settings: Settings, smtp: tuple[Inbox, str]) -> AsyncIterator[Any]:
    async with mail_worker(local_settings, smtp[1]) as run:
        yield run


async def private_board_inviting(http: httpx.AsyncClient, email: str) -> tuple[dict[str, Any], str]:
    owner = await sign_up(http, "owner@corp.test")
    board = await http.post("/api/v1/boards", json={"title": "Secret"}, headers=owner["headers"])
    board_id = board.json()["id"]
    invited = await http.post(
        f"/api/v1/boards/{board_id}/invitations",
        json={"email": email, "role": "editor"},
        headers=owner["headers"],
    )
    assert invited.status_code == 201, invited.text
    return owner, board_id


async def test_signing_up_with_an_invited_address_does_not_take_the_invitation(
    local_http: httpx.AsyncClient, smtp: tuple[Inbox, str], drain: Any
) -> None:
    inbox, _ = smtp
    _, board_id = await private_board_inviting(local_http, "new-hire@corp.test")
    mallory = await sign_up(local_http, "NEW-HIRE@corp.test")
    assert (await local_http.get(f"/api/v1/boards/{board_id}", headers=mallory["headers"])).status_code in (
        403,
        404,
    )
    login = await local_http.post(
        "/api/v1/auth/login", json={"email": "new-hire@corp.test", "password": PASSWORD}
    )
    again = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    assert (await local_http.get(f"/api/v1/boards/{board_id}", headers=again)).status_code in (403, 404)
    query = f'{{ board(id: "{board_id}") {{ id }} }}'
    body = (await local_http.post("/graphql", json={"query": query}, headers=again)).json()
    assert body.get("data", {}).get("board") is None

    # The real owner of the mailbox verifies: the invitation is theirs now.
    assert await drain() >= 2  # the invitation and the verification mail
    token = inbox.token("new-hire@corp.test", "verify-email")
    verified = await local_http.post("/api/v1/auth/verify", json={"token": token})
    assert verified.status_code == 200, verified.text
    assert verified.json()["emailVerifiedAt"] is not None
    assert (await local_http.get(f"/api/v1/boards/{board_id}", headers=again)).status_code == 200


async def test_verification_links_are_single_use_and_expire(
    local_http: httpx.AsyncClient, smtp: tuple[Inbox, str], drain: Any, engine: AsyncEngine
) -> None:
    inbox, _ = smtp
    ann = await sign_up(local_http, "ann@corp.test")
    await drain()
    token = inbox.token("ann@corp.test", "verify-email")
    mutation = "mutation($t: String!) { verifyEmail(input: {token: $t}) { id emailVerifiedAt } }"
    first = (await local_http.post("/graphql", json={"query": mutation, "variables": {"t": token}})).json()
    assert first["data"]["verifyEmail"]["emailVerifiedAt"] is not None
    second = (await local_http.post("/graphql", json={"query": mutation, "variables": {"t": token}})).json()
    assert second["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    again = await local_http.post("/api/v1/auth/verify", json={"token": token})
    assert (again.status_code, again.json()["code"]) == (422, "BAD_USER_INPUT")
    # expired: a fresh link, aged past its expiry
    bob = await sign_up(local_http, "bob@corp.test")
    await drain()
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL")
        )
    stale = await local_http.post(
        "/api/v1/auth/verify", json={"token": inbox.token("bob@corp.test", "verify-email")}
    )
    assert stale.status_code == 422
    # resend: a new link works, the old one is retired
    resent = await local_http.post("/api/v1/auth/verify/resend", headers=bob["headers"])
    assert resent.status_code == 204
    await drain()
    fresh = inbox.token("bob@corp.test", "verify-email")
    assert (await local_http.post("/api/v1/auth/verify", json={"token": fresh})).status_code == 200
    assert ann["id"] != bob["id"]


async def test_password_reset_by_link_ends_every_session(
    local_http: httpx.AsyncClient, smtp: tuple[Inbox, str], drain: Any
) -> None:
    inbox, _ = smtp
    cy = await sign_up(local_http, "cy@corp.test")
    unknown = await local_http.post("/api/v1/auth/password-reset", json={"email": "nobody@corp.test"})
    known = await local_http.post("/api/v1/auth/password-reset", json={"email": "cy@corp.test"})
    assert unknown.status_code == known.status_code == 202  # no hint whether the account exists
    await drain()
    assert inbox.to("nobody@corp.test") == []
    token = inbox.token("cy@corp.test", "reset-password")
    mutation = "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }"
    variables = {"i": {"token": token, "newPassword": "a brand new secret"}}
    body = (await local_http.post("/graphql", json={"query": mutation, "variables": variables})).json()
    assert body["data"]["resetPassword"] is True
    refresh = cy["session"]["refreshToken"]  # type: ignore[index]
    assert (await local_http.post("/api/v1/auth/refresh", json={"refreshToken": refresh})).status_code == 401
    old = await local_http.post("/api/v1/auth/login", json={"email": "cy@corp.test", "password": PASSWORD})
    new = await local_http.post(
        "/api/v1/auth/login", json={"email": "cy@corp.test", "password": "a brand new secret"}
    )
    assert (old.status_code, new.status_code) == (401, 200)
    assert new.json()["user"]["emailVerifiedAt"] is not None  # the reset link proved the address
    reuse = await local_http.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "newPassword": "yet another secret"}
    )
    assert reuse.status_code == 422


async def test_the_invitation_link_lets_its_holder_join(
    local_http: httpx.AsyncClient, smtp: tuple[Inbox, str], drain: Any
) -> None:
    inbox, _ = smtp
    _, board_id = await private_board_inviting(local_http, "dee@corp.test")
    dee = await sign_up(local_http, "dee.personal@example.com")  # another address: the link is the proof
    await drain()
    token = inbox.token("dee@corp.test", "invitations/accept")
    mutation = "mutation($t: String!) { acceptInvitation(input: {token: $t}) { id } }"
    anonymous = (
        await local_http.post("/graphql", json={"query": mutation, "variables": {"t": token}})
    ).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    joined = (
        await local_http.post(
            "/graphql", json={"query": mutation, "variables": {"t": token}}, headers=dee["headers"]
        )
    ).json()
    assert joined["data"]["acceptInvitation"]["id"] == board_id
    assert (await local_http.get(f"/api/v1/boards/{board_id}", headers=dee["headers"])).status_code == 200
    reuse = await local_http.post("/api/v1/invitations/accept", json={"token": token}, headers=dee["headers"])
    assert reuse.status_code == 422


async def test_without_smtp_mail_goes_to_the_file_outbox(
    local_http: httpx.AsyncClient, local_settings: Settings, tmp_path: Path
) -> None:
    await sign_up(local_http, "eve@corp.test")
    settings = local_settings.model_copy(update={"data_dir": tmp_path})
    async with mail_worker(settings, None) as drain:
        assert await drain.sweep() == 0  # the minutely sweep leaves fresh mail to its queued job
        assert await drain() == 1
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert b"/verify-email?token=" in files[0].read_bytes()
