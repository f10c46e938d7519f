"""Revocable sessions (issue 14, class 6): log-out, a password change and a password reset end the access
tokens of those sessions at once (not when they expire), in this process and in every other one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from app.server import create_app
from app.settings import Settings
from tests.conftest import running, sign_up

PASSWORD = "correct horse 42"


async def me(http: httpx.AsyncClient, token: str) -> int:
    return (await http.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})).status_code


async def log_in(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_log_out_ends_the_access_token_at_once(local_http: httpx.AsyncClient) -> None:
    ann = await sign_up(local_http, "ann@corp.test")
    other = await log_in(local_http, "ann@corp.test")
    access = ann["session"]["accessToken"]  # type: ignore[index]
    assert await me(local_http, access) == 200
    out = await local_http.post("/api/v1/auth/logout", json={"refreshToken": ann["session"]["refreshToken"]})  # type: ignore[index]
    assert out.status_code == 204
    assert await me(local_http, access) == 401
    assert await me(local_http, other["accessToken"]) == 200  # another session of the same user lives on
    mutation = "mutation($i: LogOutInput!) { logOut(input: $i) }"
    variables = {"i": {"refreshToken": other["refreshToken"]}}
    assert (await local_http.post("/graphql", json={"query": mutation, "variables": variables})).json()[
        "data"
    ]
    assert await me(local_http, other["accessToken"]) == 401


async def test_a_password_change_ends_every_session(local_http: httpx.AsyncClient) -> None:
    await sign_up(local_http, "bob@corp.test")
    laptop, phone = await log_in(local_http, "bob@corp.test"), await log_in(local_http, "bob@corp.test")
    mutation = "mutation($i: PasswordChangeInput!) { changePassword(input: $i) }"
    variables = {"i": {"currentPassword": PASSWORD, "newPassword": "a brand new secret"}}
    headers = {"Authorization": f"Bearer {laptop['accessToken']}"}
    body = (
        await local_http.post("/graphql", json={"query": mutation, "variables": variables}, headers=headers)
    ).json()
    assert body["data"]["changePassword"] is True
    assert await me(local_http, phone["accessToken"]) == 401
    assert await me(local_http, laptop["accessToken"]) == 401
    fresh = await local_http.post(
        "/api/v1/auth/login", json={"email": "bob@corp.test", "password": "a brand new secret"}
    )
    assert await me(local_http, fresh.json()["accessToken"]) == 200


@pytest.fixture
async def second_process(local_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Another API process on the same Redis and database (its own memory, its own pub/sub connection)."""
    async with (
        running(create_app(local_settings)) as other,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=other), base_url="http://atelier.test") as http,
    ):
        yield http


async def test_other_processes_learn_of_an_ended_session(
    local_http: httpx.AsyncClient, second_process: httpx.AsyncClient, local_app: Litestar
) -> None:
    cy = await sign_up(local_http, "cy@corp.test")
    access = cy["session"]["accessToken"]  # type: ignore[index]
    assert await me(second_process, access) == 200
    await local_http.post("/api/v1/auth/logout", json={"refreshToken": cy["session"]["refreshToken"]})  # type: ignore[index]
    for _ in range(100):  # pub/sub: milliseconds; allow a loaded machine 5 s
        if await me(second_process, access) == 401:
            break
        await asyncio.sleep(0.05)
    assert await me(second_process, access) == 401
