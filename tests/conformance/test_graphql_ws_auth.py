"""graphql-ws clients authenticate in connection_init (browsers cannot set websocket headers):
{"authorization": "Bearer …"} or {"token": …}, on both websocket protocols; a bad token is refused."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from app.server import create_app
from app.settings import Settings

SUBSCRIPTION = "subscription($id: UUID!) { generationProgress(generationId: $id) { jobId status } }"


def _first_event(http: TestClient[Any], payload: dict[str, Any] | None, generation_id: str) -> dict[str, Any]:
    with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", **({"payload": payload} if payload is not None else {})})
        assert ws.receive_json()["type"] == "connection_ack"
        query = {"query": SUBSCRIPTION, "variables": {"id": generation_id}}
        ws.send_json({"id": "1", "type": "subscribe", "payload": query})
        message: dict[str, Any] = ws.receive_json()
        return message


def _private_generation(http: TestClient[Any]) -> tuple[str, str]:
    session = http.post("/api/v1/auth/signup", json={"email": "ws@example.com", "password": "pw-" + "x" * 12})
    token = session.json()["accessToken"]
    headers = {"Authorization": f"Bearer {token}"}
    board = http.post("/api/v1/boards", json={"title": "Private"}, headers=headers).json()
    body = {"boardId": board["id"], "generatorName": "atelier-test", "inputParams": {}}
    generation = http.post("/api/v1/generations", json=body, headers=headers)
    assert generation.status_code == 201, generation.text
    return token, generation.json()["id"]


def test_connection_init_payload_authenticates(local_settings: Settings, clean_db: None) -> None:
    with TestClient(create_app(local_settings)) as http:
        token, generation_id = _private_generation(http)
        anonymous = _first_event(http, None, generation_id)
        assert anonymous["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND", anonymous  # private
        for payload in (
            {"authorization": f"Bearer {token}"},
            {"Authorization": f"Bearer {token}"},
            {"token": token},
        ):
            event = _first_event(http, payload, generation_id)
            assert event["type"] == "next" and not event["payload"].get("errors"), (payload, event)
            assert event["payload"]["data"]["generationProgress"]["jobId"] == generation_id


def test_a_bad_token_in_connection_init_is_refused(local_settings: Settings, clean_db: None) -> None:
    with TestClient(create_app(local_settings)) as http:
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"token": "not-a-token"}})
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == 4403
        with http.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as legacy:
            legacy.send_json({"type": "connection_init", "payload": {"authorization": "Basic abc"}})
            refused = legacy.receive_json()
        assert refused["type"] == "connection_error" and refused["payload"]["code"] == "UNAUTHENTICATED"
