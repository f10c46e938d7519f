"""The GraphQL execution timeout holds on every transport (issue 14, class 2): POST, GET, and graphql-ws
(a query sent over the socket; a subscription's setup). With a timeout far below one database round trip,
every operation that reads answers QUERY_TIMEOUT instead of running on."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from app.server import create_app
from app.settings import Settings
from tests.conftest import running

TINY = 0.0001  # 0.1 ms: no database read completes in it
READS = "{ publicBoards(limit: 5) { id title } }"
PROTOCOLS = ["graphql-transport-ws", "graphql-ws"]


@pytest.fixture
def slow_settings(local_settings: Settings, clean_db: None) -> Settings:
    return local_settings.model_copy(update={"graphql_timeout_seconds": TINY})


def _code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def test_post_and_get_queries_stop_at_the_timeout(slow_settings: Settings) -> None:
    async with (
        running(create_app(slow_settings)) as application,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://a.test") as http,
    ):
        posted = (await http.post("/graphql", json={"query": READS})).json()
        got = (await http.get("/graphql", params={"query": READS})).json()
        instant = (await http.get("/graphql", params={"query": "{ __typename }"})).json()
    assert (posted["data"], _code(posted)) == (None, "QUERY_TIMEOUT")
    assert (got["data"], _code(got)) == (None, "QUERY_TIMEOUT")
    assert instant == {"data": {"__typename": "Query"}}  # nothing to wait for: within any timeout


def test_a_query_over_graphql_transport_ws_stops_at_the_timeout(slow_settings: Settings) -> None:
    with (
        TestClient(create_app(slow_settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "q", "type": "subscribe", "payload": {"query": READS}})
        answer = ws.receive_json()
        assert answer["type"] == "next", answer
        assert (answer["payload"]["data"], _code(answer["payload"])) == (None, "QUERY_TIMEOUT")
        assert ws.receive_json() == {"id": "q", "type": "complete"}


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_subscription_setup_stops_at_the_timeout(slow_settings: Settings, protocol: str) -> None:
    subscription = "subscription($id: UUID!) { boardGenerations(boardId: $id) { jobId status } }"
    variables = {"id": "00000000-0000-4000-8000-000000000000"}
    start = "subscribe" if protocol == "graphql-transport-ws" else "start"
    with (
        TestClient(create_app(slow_settings)) as http,
        http.websocket_connect("/graphql", subprotocols=[protocol]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "s", "type": start, "payload": {"query": subscription, "variables": variables}})
        answer = ws.receive_json()
        while answer["type"] == "ka":  # the legacy protocol's keep-alive
            answer = ws.receive_json()
        assert _code(answer["payload"]) == "QUERY_TIMEOUT", answer


def test_the_same_operations_run_within_the_default_timeout(local_settings: Settings, clean_db: None) -> None:
    with (
        TestClient(create_app(local_settings)) as http,
        http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        assert http.get("/graphql", params={"query": READS}).json() == {"data": {"publicBoards": []}}
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "q", "type": "subscribe", "payload": {"query": READS}})
        assert ws.receive_json() == {"id": "q", "type": "next", "payload": {"data": {"publicBoards": []}}}
