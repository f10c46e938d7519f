"""Every search test runs once through REST and once through GraphQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.search.drivers import SearchGraphQL, SearchRest


@pytest.fixture(params=["rest", "graphql"])
def search_api(request: pytest.FixtureRequest, client: httpx.AsyncClient) -> Any:
    return (SearchRest if request.param == "rest" else SearchGraphQL)(client)


@pytest.fixture
async def board(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post("/api/v1/boards", json={"title": "Search corpus"})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
