"""A tiny threaded HTTP server on 127.0.0.1 that hands every request to `FakeServer.handle` and records it."""

from __future__ import annotations

import io
import json
import threading
import wave
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"


def png_bytes(colour: tuple[int, int, int] = (200, 40, 90), size: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, format="PNG")
    return out.getvalue()


FAKE_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


class FakeServer:
    """Subclasses implement handle(call) → Reply. `calls` records everything, in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                parts = urlsplit(self.path)
                call = Call(
                    self.command, parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length) if length else b"",
                )  # fmt: skip
                with fake.lock:
                    fake.calls.append(call)
                reply = fake.handle(call)
                data = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type)
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def do_PUT(self) -> None:
                self._serve()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()

    def handle(self, call: Call) -> Reply:
        raise NotImplementedError

    def count(self, method: str, path_prefix: str) -> int:
        with self.lock:
            return sum(1 for c in self.calls if c.method == method and c.path.startswith(path_prefix))

    def files(self, call: Call) -> Reply:
        """Outputs, served without authentication (like the providers' CDNs): a small valid file of the
        type its name says."""
        data, content_type = file_bytes(call.path)
        return Reply(raw=data, content_type=content_type)


IMAGE_FORMATS = {"png": ("PNG", "image/png"), "jpg": ("JPEG", "image/jpeg"), "webp": ("WEBP", "image/webp")}
FAKE_TEXT = "A fake answer from the fake provider."


def file_bytes(path: str) -> tuple[bytes, str]:
    ext = path.rsplit(".", 1)[-1]
    if ext in IMAGE_FORMATS:
        out = io.BytesIO()
        Image.new("RGB", (64, 64), (200, 40, 90)).save(out, format=IMAGE_FORMATS[ext][0])
        return out.getvalue(), IMAGE_FORMATS[ext][1]
    if ext == "wav":
        return wav_bytes(), "audio/wav"
    fixed = {
        "mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 32, "audio/mpeg"),
        "flac": (b"fLaC\x00\x00\x00\x22" + b"\x00" * 34, "audio/flac"),
        "txt": (FAKE_TEXT.encode(), "text/plain"),
        "mp4": (FAKE_MP4, "video/mp4"),
    }
    return fixed.get(ext) or (png_bytes(), "image/png")


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    return out.getvalue()
