"""A fake of OpenAI's image generation endpoint (synchronous, base64 images)."""

from __future__ import annotations

import base64
import time
import uuid

from tests.fakes._server import Call, FakeServer, Reply, png_bytes

KEY = "sk-fake-openai"
BLOCKED = {
    "error": {
        "message": "Your request was rejected as a result of our safety system.",
        "type": "image_generation_user_error", "param": None, "code": "moderation_blocked",
    }
}  # fmt: skip


class FakeOpenAI(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.replies: list[Reply] = []
        self.delay_s = 0.0

    def handle(self, call: Call) -> Reply:
        if call.headers.get("authorization") != f"Bearer {KEY}":
            return Reply(401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
        if call.method != "POST" or call.path != "/v1/images/generations":
            return Reply(404, {"error": {"message": "Not found"}})
        with self.lock:
            queued = self.replies.pop(0) if self.replies else None
        if queued is not None:
            return queued
        body = call.json() or {}
        if "forbidden" in body.get("prompt", ""):
            return Reply(400, BLOCKED)
        time.sleep(self.delay_s)
        image = base64.b64encode(png_bytes((20, 120, 220))).decode()
        data = [{"b64_json": image, **({"revised_prompt": "a revised prompt"} if body.get("model") == "dall-e-3" else {})}
                for _ in range(int(body.get("n", 1)))]  # fmt: skip
        return Reply(
            body={"created": int(time.time()), "data": data, "usage": {"total_tokens": 100}},
            headers={"x-request-id": f"req_{uuid.uuid4().hex[:16]}"},
        )
