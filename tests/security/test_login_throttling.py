"""Login throttling (issue 14, class 5): repeated wrong passwords back off per account and per client
address with 429 + Retry-After (REST) / RATE_LIMITED (GraphQL), before any password is checked; and
X-Forwarded-For is believed only from ATELIER_TRUSTED_PROXIES."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from litestar import Litestar

from app.auth.login_throttle import FREE_FAILURES, IP_FREE_FAILURES, MAX_DELAY_S, backoff
from app.platform.proxies import networks, real_client
from app.server import create_app
from app.settings import Settings
from tests.conftest import running, sign_up

PASSWORD = "correct horse 42"


@pytest.fixture(scope="module")
async def throttled_app(local_settings: Settings, other_tenant: str) -> AsyncIterator[Litestar]:
    settings = local_settings.model_copy(
        update={"login_throttling": True, "rate_limit_namespace": f"test-throttle-{uuid4().hex[:8]}"}
    )
    async with running(create_app(settings)) as application:
        yield application


@pytest.fixture
async def http(throttled_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    # each test comes from its own address, so the per-address counts of one test never reach another
    transport = httpx.ASGITransport(
        app=throttled_app, client=(f"10.9.{uuid4().int % 250}.{uuid4().int % 250}", 1)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as client:
        yield client


async def login(http: httpx.AsyncClient, email: str, password: str, **headers: str) -> httpx.Response:
    return await http.post("/api/v1/auth/login", json={"email": email, "password": password}, headers=headers)


async def test_wrong_passwords_back_off_even_for_the_right_one(http: httpx.AsyncClient) -> None:
    await sign_up(http, "ann@corp.test")
    for _ in range(FREE_FAILURES):
        assert (await login(http, "ann@corp.test", "wrong password")).status_code == 401
    refused = await login(http, "ann@corp.test", PASSWORD)
    assert (refused.status_code, refused.json()["code"]) == (429, "RATE_LIMITED")
    assert int(refused.headers["Retry-After"]) >= 1
    mutation = "mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }"
    variables = {"i": {"email": "ANN@corp.test", "password": PASSWORD}}
    body = (await http.post("/graphql", json={"query": mutation, "variables": variables})).json()
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_one_address_trying_many_accounts_is_throttled_and_forwarded_for_is_not_believed(
    http: httpx.AsyncClient,
) -> None:
    await sign_up(http, "bob@corp.test")
    for n in range(IP_FREE_FAILURES):  # one wrong password each: no account reaches its own limit
        spoofed = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert (await login(http, f"user{n}@corp.test", "wrong password", **spoofed)).status_code == 401
    refused = await login(http, "bob@corp.test", PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    assert refused.status_code == 429


def test_backoff_doubles_after_the_free_failures_and_is_capped() -> None:
    assert [backoff(n, 5) for n in range(4, 9)] == [0, 1, 2, 4, 8]
    assert backoff(100, 5) == MAX_DELAY_S


TRUSTED = networks(["10.0.0.0/8"])


def test_forwarded_for_is_believed_from_trusted_proxies_only() -> None:
    assert real_client("10.1.2.3", "198.51.100.7", TRUSTED) == "198.51.100.7"
    assert real_client("10.1.2.3", "1.1.1.1, 198.51.100.7, 10.4.4.4", TRUSTED) == "198.51.100.7"
    assert real_client("127.0.0.1", "198.51.100.7", TRUSTED) == "127.0.0.1"  # loopback is not trusted
    assert real_client("10.1.2.3", "198.51.100.7", []) == "10.1.2.3"
    assert real_client("10.1.2.3", "not-an-address", TRUSTED) == "10.1.2.3"


@given(st.text(max_size=80), st.ip_addresses(v=4).map(str))
def test_an_untrusted_peer_is_always_its_own_address(forwarded: str, peer: str) -> None:
    if not peer.startswith("10."):
        assert real_client(peer, forwarded, TRUSTED) == peer
