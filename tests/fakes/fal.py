"""A fake of fal's queue API (answering any catalog entry from its output rule), its JWKS, and ED25519-signed
webhooks."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.generators.catalog import CatalogEntry
from tests.fakes import shapes
from tests.fakes._server import Call, FakeServer, Reply

KEY = "fal-fake-key:secret"
USER_ID = "fal-user-1"


class FakeFal(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.signing_key = Ed25519PrivateKey.generate()
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.requests: dict[str, dict[str, Any]] = {}
        self.submit_replies: list[Reply] = []
        self.result_reply: Reply | None = None  # e.g. a 422 for a request that failed
        self.hold = False
        self.polls_to_finish = 3
        self.extra_entries: list[CatalogEntry] = []  # entries beyond the shipped catalog a test runs

    def jwks(self) -> dict[str, Any]:
        raw = self.signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "use": "sig", "alg": "EdDSA"}]}

    def handle(self, call: Call) -> Reply:  # noqa: PLR0911  (a router: one return per route)
        if call.path.startswith("/files/"):
            return self.files(call)
        if call.path == "/.well-known/jwks.json":
            return Reply(body=self.jwks())
        if call.headers.get("authorization") != f"Key {KEY}":
            return Reply(401, {"detail": "No user found for Key ID and Secret"})
        parts = call.path.strip("/").split("/")
        if "requests" in parts:
            rid = parts[parts.index("requests") + 1]
            if rid not in self.requests:
                return Reply(404, {"detail": "Request not found"})
            if call.method == "GET" and parts[-1] == "status":
                return Reply(body=self._status(rid))
            if call.method == "PUT" and parts[-1] == "cancel":
                self.requests[rid]["status"] = "CANCELED"
                return Reply(202, {"status": "CANCELLATION_REQUESTED"})
            if call.method == "GET":
                return self.result_reply or Reply(body=self.requests[rid]["result"])
        if call.method == "POST":
            return self._submit(call, "/".join(parts))
        return Reply(404, {"detail": "Not found"})

    def _submit(self, call: Call, model: str) -> Reply:
        """Queue a request for any catalog entry; its result is built from the entry's output rule."""
        with self.lock:
            if self.submit_replies:
                return self.submit_replies.pop(0)
        entry = shapes.index("fal", self.extra_entries).get(model)
        if entry is None:
            return Reply(404, {"detail": f"Application '{model}' not found"})
        body = call.json() or {}
        missing = shapes.missing_required(entry, body)
        if missing:
            return Reply(422, {"detail": [{"loc": ["body", m], "msg": "field required", "type": "missing"}
                                          for m in missing]})  # fmt: skip
        rid = str(uuid.uuid4())
        app = "/".join(model.split("/")[:2])
        base = f"{self.url}/{app}/requests/{rid}"
        files = iter(range(1000))
        result = shapes.result_for(entry, body, lambda ext: f"{self.url}/files/{rid}-{next(files)}.{ext}")
        with self.lock:
            self.requests[rid] = {
                "status": "IN_QUEUE", "polls": 0, "webhook": call.query.get("fal_webhook"),
                "input": body, "result": result, "model": model,
            }  # fmt: skip
        return Reply(200, {
            "request_id": rid, "gateway_request_id": rid, "response_url": base,
            "status_url": f"{base}/status", "cancel_url": f"{base}/cancel", "queue_position": 0,
        })  # fmt: skip

    def _status(self, rid: str) -> dict[str, Any]:
        with self.lock:
            request = self.requests[rid]
            request["polls"] += 1
            if request["status"] not in ("COMPLETED", "CANCELED"):
                if request["polls"] == 1:
                    request["status"] = "IN_QUEUE"
                elif self.hold or request["polls"] < self.polls_to_finish:
                    request["status"] = "IN_PROGRESS"
                else:
                    request["status"] = "COMPLETED"
            body: dict[str, Any] = {"status": request["status"], "response_url": f"/requests/{rid}"}
            if request["status"] == "IN_QUEUE":
                body["queue_position"] = 0
            if request["status"] == "IN_PROGRESS":
                body["logs"] = [{"message": " 40%|████      | 2/5", "level": "INFO", "timestamp": "t"}]
            return body

    def finish(self, rid: str) -> dict[str, Any]:
        with self.lock:
            self.requests[rid]["status"] = "COMPLETED"
            return dict(self.requests[rid]["result"])

    def only_id(self) -> str:
        with self.lock:
            assert len(self.requests) == 1, self.requests
            return next(iter(self.requests))

    def sign(self, payload: dict[str, Any], *, request_id: str, timestamp: int | None = None,
             key: Ed25519PrivateKey | None = None) -> tuple[dict[str, str], bytes]:  # fmt: skip
        """A delivery signed as fal signs it: ED25519 over request_id, user_id, timestamp, sha256(body)."""
        body = json.dumps(payload).encode()
        ts = str(timestamp if timestamp is not None else int(time.time()))
        message = "\n".join([request_id, USER_ID, ts, hashlib.sha256(body).hexdigest()]).encode()
        signature = (key or self.signing_key).sign(message).hex()
        return {
            "content-type": "application/json", "x-fal-webhook-request-id": request_id,
            "x-fal-webhook-user-id": USER_ID, "x-fal-webhook-timestamp": ts, "x-fal-webhook-signature": signature,
        }, body  # fmt: skip
