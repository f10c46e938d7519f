"""GetAuthConfig / authConfig: the sign-in screens read the server's auth mode, anonymously, from both APIs."""

from __future__ import annotations

import httpx

QUERY = "{ authConfig { mode localAccounts emailVerification passwordReset } }"


async def _both(http: httpx.AsyncClient) -> tuple[dict[str, object], dict[str, object]]:
    rest = await http.get("/api/v1/auth/config")  # no token: a visitor must see how to sign in
    assert rest.status_code == 200, rest.text
    graphql = (await http.post("/graphql", json={"query": QUERY})).json()
    assert "errors" not in graphql, graphql
    return rest.json(), graphql["data"]["authConfig"]


async def test_local_mode_offers_accounts_in_both_apis(local_http: httpx.AsyncClient) -> None:
    rest, graphql = await _both(local_http)
    assert rest == graphql
    assert (rest["mode"], rest["localAccounts"]) == ("local", True)


async def test_none_mode_offers_no_sign_in(client: httpx.AsyncClient) -> None:
    rest, graphql = await _both(client)
    assert rest == graphql
    assert (rest["mode"], rest["localAccounts"]) == ("none", False)
