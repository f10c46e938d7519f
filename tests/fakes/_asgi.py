"""A tiny ASGI toolkit for the fakes (no framework: the fakes must parse raw, percent-encoded paths), and
a runner that serves an app with uvicorn on a free loopback port in a background thread."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import uvicorn

Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Request:
    method: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_json(cls, value: Any, status: int = 200) -> Reply:
        return cls(status, json.dumps(value).encode(), {"content-type": "application/json"})


class FakeApp:
    """Subclasses implement handle(); `fail_next[METHOD] = n` answers the next n such calls with 503."""

    def __init__(self) -> None:
        self.fail_next: dict[str, int] = {}
        self.calls: list[tuple[str, str]] = []

    async def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        query = {k: v[0] for k, v in parse_qs(scope.get("query_string", b"").decode()).items()}
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        request = Request(scope["method"], scope["raw_path"].decode().split("?")[0], query, headers, body)
        self.calls.append((request.method, request.raw_path))
        if self.fail_next.get(request.method, 0) > 0:
            self.fail_next[request.method] -= 1
            reply = Reply.of_json({"error": "injected transient failure"}, 503)
        else:
            reply = await self.handle(request)
        out_headers = {"content-length": str(len(reply.body)), **reply.headers}
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [(k.encode(), v.encode()) for k, v in out_headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": b"" if request.method == "HEAD" else reply.body})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: FakeApp) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", ws="none", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"fake-{type(app).__name__}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"{type(app).__name__} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
