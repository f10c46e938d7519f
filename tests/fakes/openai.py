"""A fake of OpenAI's images (synchronous, base64), videos (polled), chat completions and speech endpoints."""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any

from tests.fakes._server import FAKE_MP4, FAKE_TEXT, Call, FakeServer, Reply, file_bytes, png_bytes

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
        self.videos: dict[str, dict[str, Any]] = {}
        self.video_error: dict[str, str] | None = None  # videos fail with this error
        self.deleted: list[str] = []
        self.chats: list[dict[str, Any]] = []

    def handle(self, call: Call) -> Reply:  # noqa: PLR0911  (a router: one return per route)
        if call.path.startswith("/files/"):
            return self.files(call)
        if call.headers.get("authorization") != f"Bearer {KEY}":
            return Reply(401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
        if call.path.startswith("/v1/videos"):
            return self._videos(call)
        if call.method == "POST" and call.path == "/v1/chat/completions":
            return self._chat(call.json() or {})
        if call.method == "POST" and call.path == "/v1/audio/speech":
            fmt = (call.json() or {}).get("response_format", "mp3")
            data, content_type = file_bytes(f"speech.{fmt}")
            return Reply(raw=data, content_type=content_type, headers={"x-request-id": "req_speech"})
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

    def _chat(self, body: dict[str, Any]) -> Reply:
        messages = body.get("messages") or []
        if not messages or messages[-1].get("role") != "user":
            return Reply(400, {"error": {"message": "messages must end with a user message", "code": None}})
        self.chats.append(body)
        reply = {"id": "chatcmpl-fake", "object": "chat.completion", "model": body.get("model"),
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": FAKE_TEXT}}],
                 "usage": {"prompt_tokens": 9, "completion_tokens": 8, "total_tokens": 17}}  # fmt: skip
        return Reply(body=reply, headers={"x-request-id": f"req_{uuid.uuid4().hex[:16]}"})

    def _videos(self, call: Call) -> Reply:
        parts = call.path.strip("/").split("/")  # v1 videos [id [content]]
        if call.method == "POST" and len(parts) == 2:
            vid = f"video_{uuid.uuid4().hex[:12]}"
            body = call.json() or {}
            video = {"id": vid, "object": "video", "model": body.get("model"), "status": "queued", "progress": 0,
                     "seconds": body.get("seconds"), "size": body.get("size"), "error": None, "_polls": 0}  # fmt: skip
            with self.lock:
                self.videos[vid] = video
            return Reply(body=_public(video))
        video = self.videos.get(parts[2]) if len(parts) > 2 else None
        if video is None or parts[2] in self.deleted:
            return Reply(404, {"error": {"message": "Video not found", "code": "not_found"}})
        if call.method == "DELETE":
            self.deleted.append(parts[2])
            return Reply(body={"id": parts[2], "object": "video", "deleted": True})
        if len(parts) == 4 and parts[3] == "content":
            return Reply(raw=FAKE_MP4, content_type="video/mp4")
        with self.lock:
            video["_polls"] += 1
            if video["_polls"] >= 3:
                failed = self.video_error is not None
                video.update(status="failed" if failed else "completed", progress=100, error=self.video_error)
            else:
                video.update(status="in_progress", progress=30 * video["_polls"])
            return Reply(body=_public(video))


def _public(video: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in video.items() if not k.startswith("_")}
