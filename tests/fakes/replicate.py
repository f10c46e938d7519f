"""A fake of Replicate's predictions API (answering any catalog entry from its output rule) and its Standard
Webhooks signing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from app.generators.catalog import CatalogEntry
from tests.fakes import shapes
from tests.fakes._server import Call, FakeServer, Reply

TOKEN = "r8_fake_token"
SECRET = "whsec_" + base64.b64encode(b"replicate-fake-signing-key-32byt").decode()


class FakeReplicate(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.predictions: dict[str, dict[str, Any]] = {}
        self.create_replies: list[Reply] = []  # next creates answer these first (errors)
        self.get_replies: list[Reply] = []
        self.hold = False  # predictions stay `processing` until finish()
        self.polls_to_finish = 3
        self.fail_with: str | None = None
        self.extra_entries: list[CatalogEntry] = []  # entries beyond the shipped catalog a test runs

    def handle(self, call: Call) -> Reply:  # noqa: PLR0911  (a router: one return per route)
        if call.path.startswith("/files/"):
            return self.files(call)
        if call.headers.get("authorization") != f"Bearer {TOKEN}":
            return Reply(401, {"title": "Unauthenticated", "detail": "Invalid token", "status": 401})
        parts = call.path.strip("/").split("/")
        if call.method == "GET" and call.path == "/v1/webhooks/default/secret":
            return Reply(body={"key": SECRET})
        if call.method == "POST" and parts[:2] == ["v1", "models"] and parts[-1] == "predictions":
            return self._create(call, "/".join(parts[2:4]))
        if parts[:2] == ["v1", "predictions"] and len(parts) >= 3 and parts[2] in self.predictions:
            if call.method == "POST" and parts[-1] == "cancel":
                return Reply(body=self._set(parts[2], status="canceled"))
            if call.method == "GET":
                return self._get(parts[2])
        return Reply(404, {"title": "Not found", "detail": "Not found", "status": 404})

    def _create(self, call: Call, model: str) -> Reply:
        with self.lock:
            if self.create_replies:
                return self.create_replies.pop(0)
        body = call.json() or {}
        entry = shapes.index("replicate", self.extra_entries).get(model)
        if entry is None:
            return Reply(404, {"title": "Not found", "detail": f"model {model} not found", "status": 404})
        missing = shapes.missing_required(entry, body.get("input") or {})
        if missing:
            return Reply(422, {
                "title": "Input validation failed", "status": 422, "detail": f"- input: {missing[0]} is required",
                "invalid_fields": [{"type": "required", "field": "input", "description": f"{missing[0]} is required"}],
            })  # fmt: skip
        pid = uuid.uuid4().hex[:20]
        prediction = {
            "id": pid, "model": model, "version": "v1", "input": body["input"], "logs": "", "output": None,
            "error": None, "status": "starting", "webhook": body.get("webhook"),
            "webhook_events_filter": body.get("webhook_events_filter"), "created_at": "2026-01-01T00:00:00Z",
            "urls": {"get": f"{self.url}/v1/predictions/{pid}", "cancel": f"{self.url}/v1/predictions/{pid}/cancel"},
            "_polls": 0,
        }  # fmt: skip
        with self.lock:
            self.predictions[pid] = prediction
        return Reply(201, self._public(prediction))

    def _get(self, pid: str) -> Reply:
        with self.lock:
            if self.get_replies:
                return self.get_replies.pop(0)
            prediction = self.predictions[pid]
            prediction["_polls"] += 1
            if prediction["status"] in ("starting", "processing"):
                if self.hold or prediction["_polls"] < self.polls_to_finish:
                    prediction["status"] = "processing"
                    prediction["logs"] = "loading\n 50%|█████     | 2/4 [00:01<00:01]"
                else:
                    self._complete(prediction)
            return Reply(body=self._public(prediction))

    def _complete(self, prediction: dict[str, Any]) -> None:
        if self.fail_with:
            prediction.update(status="failed", error=self.fail_with)
            return
        entry = shapes.index("replicate", self.extra_entries)[prediction["model"]]
        files = iter(range(1000))
        output = shapes.result_for(
            entry, prediction["input"], lambda ext: f"{self.url}/files/{prediction['id']}-{next(files)}.{ext}"
        )
        prediction.update(
            status="succeeded", output=output, metrics={"predict_time": 1.5},
            logs=prediction["logs"] + "\n100%|██████████| 4/4",
        )  # fmt: skip

    def finish(self, pid: str) -> dict[str, Any]:
        with self.lock:
            self._complete(self.predictions[pid])
            return self._public(self.predictions[pid])

    def _set(self, pid: str, **values: Any) -> dict[str, Any]:
        with self.lock:
            self.predictions[pid].update(values)
            return self._public(self.predictions[pid])

    @staticmethod
    def _public(prediction: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in prediction.items() if not k.startswith("_")}

    def cancelled(self) -> list[str]:
        with self.lock:
            return [
                c.path.split("/")[3] for c in self.calls if c.method == "POST" and c.path.endswith("/cancel")
            ]

    def only(self) -> dict[str, Any]:
        with self.lock:
            assert len(self.predictions) == 1, self.predictions
            return self._public(next(iter(self.predictions.values())))


def sign(payload: dict[str, Any], *, secret: str = SECRET, msg_id: str | None = None,
         timestamp: int | None = None) -> tuple[dict[str, str], bytes]:  # fmt: skip
    """A delivery signed the way Replicate signs it: v1,base64(HMAC-SHA256(key, id.timestamp.body))."""
    body = json.dumps(payload).encode()
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    ts = str(timestamp if timestamp is not None else int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    headers = {
        "content-type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }  # fmt: skip
    return headers, body
