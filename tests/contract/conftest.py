"""The `api` fixture: every contract test runs once through REST and once through GraphQL."""

from __future__ import annotations

import httpx
import pytest

from tests.contract.drivers import Driver, GraphQLDriver, RestDriver


@pytest.fixture(params=[RestDriver, GraphQLDriver], ids=["rest", "graphql"])
def api(request: pytest.FixtureRequest, client: httpx.AsyncClient) -> Driver:
    return request.param(client)  # type: ignore[no-any-return]
