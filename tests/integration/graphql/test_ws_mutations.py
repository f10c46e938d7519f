"""A mutation sent over a websocket is committed like one sent by POST, and rolled back like one on error.

HTTP requests end their unit of work when the response starts (app.db.transactions); a websocket has no
response, so before this test a mutation over graphql-ws ran, answered data, and was never committed."""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.transactions import COMMIT_FAILED
from app.server import create_app
from app.settings import Settings

CREATE = 'mutation { createBoard(input: {title: "over the socket"}) { id title } }'
CREATE_THEN_FAIL = (
    'mutation { a: createBoard(input: {title: "half done"}) { id } '
    'b: deleteBoard(id: "00000000-0000-4000-8000-000000000000") }'
)


def _run(ws: Any, query: str, op_id: str) -> dict[str, Any]:
    """One operation over graphql-transport-ws: its one result, then its completion."""
    ws.send_json({"id": op_id, "type": "subscribe", "payload": {"query": query}})
    answer = ws.receive_json()
    assert answer["type"] == "next", answer
    assert ws.receive_json() == {"id": op_id, "type": "complete"}
    payload: dict[str, Any] = answer["payload"]
    return payload


def _titles(http: TestClient[Any]) -> list[str]:
    response = http.post("/graphql", json={"query": "{ myBoards(limit: 100) { title } }"})
    return [board["title"] for board in response.json()["data"]["myBoards"]]


def test_a_mutation_over_a_websocket_is_committed(settings: Settings, clean_db: None) -> None:
    with TestClient(create_app(settings)) as http:
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            created = _run(ws, CREATE, "m1")["data"]["createBoard"]
            # the same connection keeps working after its unit of work ended
            again = _run(ws, CREATE, "m2")["data"]["createBoard"]
        board = http.get(f"/api/v1/boards/{created['id']}")
        assert board.status_code == 200, board.text  # committed: another session reads it
        assert http.get(f"/api/v1/boards/{again['id']}").status_code == 200


def test_a_failed_mutation_over_a_websocket_is_rolled_back(settings: Settings, clean_db: None) -> None:
    with TestClient(create_app(settings)) as http:
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            failed = _run(ws, CREATE_THEN_FAIL, "m1")
            assert failed["errors"][0]["extensions"]["code"] == "NOT_FOUND", failed
            created = _run(ws, CREATE, "m2")["data"]["createBoard"]
        assert http.get(f"/api/v1/boards/{created['id']}").status_code == 200
        assert _titles(http) == ["over the socket"]  # nothing of the failed mutation was kept


def test_the_legacy_protocol_refuses_a_mutation_with_a_code(settings: Settings, clean_db: None) -> None:
    """subscriptions-transport-ws ("graphql-ws") runs subscriptions only (Strawberry's handler): a mutation
    sent there is refused with a client error code, not masked as an internal error, and changes nothing."""
    with TestClient(create_app(settings)) as http:
        with http.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "m1", "type": "start", "payload": {"query": CREATE}})
            answer = ws.receive_json()
            while answer["type"] == "ka":
                answer = ws.receive_json()
        assert answer["type"] == "error", answer
        assert answer["payload"]["extensions"]["code"] == "OPERATION_NOT_SUPPORTED", answer
        assert _titles(http) == []


def test_a_generation_created_over_a_websocket_runs(settings: Settings, clean_db: None) -> None:
    """The commit's after-commit actions run too: the job is queued at once, not left to the sweeper."""
    create = "mutation($i: CreateGenerationInput!) { createGeneration(input: $i) { id } }"
    # a queue of its own: the suite's session-scoped app also works "atelier-test", and its event loop stands
    # still while this synchronous test runs, so a job it dequeued would wait for the next async test
    own_queue = settings.model_copy(update={"queue_name": f"ws-mutation-{uuid4().hex[:6]}"})
    with TestClient(create_app(own_queue)) as http:
        board = http.post("/api/v1/boards", json={"title": "socket renders"}).json()
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            variables = {"i": {"boardId": board["id"], "generatorName": "local-image", "artifactType": "IMAGE",
                               "inputParams": {"prompt": "a fox", "seed": 3}}}  # fmt: skip
            ws.send_json(
                {"id": "g", "type": "subscribe", "payload": {"query": create, "variables": variables}}
            )
            answer = ws.receive_json()
        generation_id = answer["payload"]["data"]["createGeneration"]["id"]
        deadline = time.monotonic() + 15  # well inside the suite's 30 s sweeper grace: queued by the commit
        status = "pending"
        while status not in {"completed", "failed"} and time.monotonic() < deadline:
            time.sleep(0.1)
            status = http.get(f"/api/v1/generations/{generation_id}").json()["status"]
        assert status == "completed"


DOOMED = "doomed at commit"
# A constraint trigger deferred to COMMIT: the mutation runs and answers, and only the COMMIT fails, on the
# real PostgreSQL (what a serialisation failure or a deferred foreign key does in production).
FAIL_AT_COMMIT = [
    """CREATE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'refused at commit'; END $$""",
    f"""CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT ON boards DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.title = '{DOOMED}') EXECUTE FUNCTION test_fail_at_commit()""",
]
UNDO = [
    "DROP TRIGGER IF EXISTS test_fail_at_commit ON boards",
    "DROP FUNCTION IF EXISTS test_fail_at_commit()",
]


async def test_a_websocket_mutation_whose_commit_fails_answers_a_coded_error(
    settings: Settings, engine: AsyncEngine, clean_db: None
) -> None:
    """app.graphql.timeouts.end_unit_of_work: a mutation is never reported done when its commit was lost."""
    async with engine.begin() as connection:
        for statement in FAIL_AT_COMMIT:
            await connection.execute(text(statement))
    try:
        with TestClient(create_app(settings)) as http:
            with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
                ws.send_json({"type": "connection_init"})
                assert ws.receive_json()["type"] == "connection_ack"
                lost = _run(ws, CREATE.replace("over the socket", DOOMED), "m1")
                kept = _run(ws, CREATE, "m2")  # the connection goes on with a fresh unit of work
            titles = _titles(http)
    finally:
        async with engine.begin() as connection:
            for statement in UNDO:
                await connection.execute(text(statement))
    assert lost["data"] is None, lost
    assert lost["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", lost
    assert lost["errors"][0]["message"] == COMMIT_FAILED
    assert kept["data"]["createBoard"]["title"] == "over the socket"
    assert titles == ["over the socket"]  # the lost board is not there
