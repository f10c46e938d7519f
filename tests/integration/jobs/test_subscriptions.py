"""The GraphQL subscription (graphql-transport-ws) streams a generation's progress to its end."""

from __future__ import annotations

from litestar.testing import TestClient

from app.server import create_app
from app.settings import Settings

SUBSCRIPTION = (
    "subscription($id: UUID!) { generationProgress(generationId: $id) {"
    " jobId status progress phase message estimatedCompletion } }"
)


def test_generation_progress_subscription(settings: Settings, clean_db: None) -> None:
    app = create_app(settings.model_copy(update={"queue_name": "atelier-ws-test"}))
    with TestClient(app) as http:  # runs the app (and its in-process worker) on its own loop
        board = http.post("/api/v1/boards", json={"title": "Sockets"}).json()
        body = {
            "boardId": board["id"],
            "generatorName": "atelier-test",
            "inputParams": {"duration_seconds": 0.5},
        }
        generation = http.post("/api/v1/generations", json=body).json()
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIPTION, "variables": {"id": generation["id"]}},
                }
            )
            statuses, progress, events = [], [], []
            while True:
                message = ws.receive_json()
                if message["type"] == "complete":
                    break
                assert message["type"] == "next", message
                assert message["payload"].get("data"), message
                event = message["payload"]["data"]["generationProgress"]
                statuses.append(event["status"])
                progress.append(event["progress"])
                events.append(event)
    assert statuses[-1] == "COMPLETED", statuses  # the GenerationStatus enum, as Generation.status
    assert "PROCESSING" in statuses
    assert progress == sorted(progress)
    assert (events[-1]["phase"], events[-1]["message"]) == ("finalizing", "completed")
    assert any(e["phase"] == "processing" and e["message"].startswith("step ") for e in events), events
