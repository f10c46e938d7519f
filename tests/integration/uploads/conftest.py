"""Upload fixtures: an app with small upload limits, and two origin HTTP servers on loopback.

`origin` is the test's own file server, the ONE socket address the app may fetch from (the test-only
ATELIER_UPLOAD_FETCH_ALLOW). `forbidden` serves the same files on another loopback port: the block must hold
for it, and its hit list proves the app never even connected.
"""

from __future__ import annotations

import struct
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from PIL import Image

from app.server import create_app
from app.settings import Settings
from tests.conftest import running

MAX_BYTES = 256 * 1024
MAX_PIXELS = 4_000_000


class Origin:
    """A threaded HTTP server with a few routes: /files/<name>, /redirect?to=, /hops/<n>, /slow, /stream."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.hits: list[str] = []
        self.hosts: list[str] = []  # Host headers received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def _handler(origin: Origin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            origin.hits.append(self.path)
            origin.hosts.append(self.headers.get("Host", ""))
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path == "/redirect":
                self._send(302, b"", "text/plain", Location=query["to"][0])
            elif parts.path.startswith("/hops/"):
                left = int(parts.path.rsplit("/", 1)[1])
                self._send(302, b"", "text/plain", Location=f"/hops/{left - 1}" if left else "/files/pic.png")
            elif parts.path == "/slow":
                time.sleep(float(query.get("s", ["5"])[0]))
                self._send(200, b"late", "text/plain")
            elif parts.path == "/stream":  # no Content-Length: the size is only known while reading
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(int(query["kb"][0])):
                    self.wfile.write(b"a" * 1024)
                self.close_connection = True
            elif parts.path.startswith("/files/") and parts.path[7:] in origin.files:
                body, content_type = origin.files[parts.path[7:]]
                self._send(200, body, content_type)
            else:
                self._send(404, b"missing", "text/plain")

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def png(width: int = 64, height: int = 48, mode: str = "RGB") -> bytes:
    out = BytesIO()
    Image.new(mode, (width, height), "red" if mode == "RGB" else 1).save(out, format="PNG")
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height over a few bytes of data: what a decompression bomb looks like
    before anything is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def origins() -> Iterator[tuple[Origin, Origin]]:
    pair = (Origin(), Origin())
    for origin in pair:
        origin.thread.start()
        origin.files.update(
            {"pic.png": (png(), "image/png"), "note.txt": (b"hello from the origin\n", "text/plain")}
        )
    yield pair
    for origin in pair:
        origin.server.shutdown()
        origin.server.server_close()


@pytest.fixture
def origin(origins: tuple[Origin, Origin]) -> Origin:
    origins[0].hits.clear()
    origins[0].hosts.clear()
    return origins[0]


@pytest.fixture
def forbidden(origins: tuple[Origin, Origin]) -> Origin:
    origins[1].hits.clear()
    return origins[1]


@pytest.fixture(scope="session")
def upload_settings(settings: Settings, origins: tuple[Origin, Origin]) -> Settings:
    return settings.model_copy(
        update={
            "upload_fetch_allow": [f"127.0.0.1:{origins[0].port}"],
            "upload_max_bytes": MAX_BYTES,
            "upload_max_image_pixels": MAX_PIXELS,
            "upload_max_image_side": 4096,
            "upload_fetch_timeout_seconds": 2.0,
            "upload_fetch_max_redirects": 3,
            "worker_in_process": False,
            # the security suite sends hundreds of requests a minute as one user: its own, roomy counters
            "rate_limit_user_per_minute": 100_000,
            "rate_limit_tenant_per_minute": 100_000,
            "rate_limit_namespace": "atelier:ratelimit:uploads-test",
        }
    )


@pytest.fixture(scope="session")
async def upload_app(upload_settings: Settings) -> AsyncIterator[Litestar]:
    async with running(create_app(upload_settings)) as application:
        yield application


@pytest.fixture
async def http(upload_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=upload_app), base_url="http://atelier.test"
    ) as client:
        yield client


@pytest.fixture
async def board(http: httpx.AsyncClient) -> str:
    response = await http.post("/api/v1/boards", json={"title": "Uploads"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


UPLOAD_FIELDS = (
    "id status storageUrl thumbnailUrl artifactType generatorName inputParams outputMetadata"
    " inputArtifacts { generationId role }"
)
UPLOAD_MUTATION = f"mutation($i: UploadArtifactInput!) {{ uploadArtifact(input: $i) {{ {UPLOAD_FIELDS} }} }}"


async def graphql_upload(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """The uploadArtifact response body ({data, errors}); HTTP is always 200 for GraphQL."""
    response = await http.post("/graphql", json={"query": UPLOAD_MUTATION, "variables": {"i": fields}})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def multipart(
    http: httpx.AsyncClient,
    board: str,
    data: bytes,
    *,
    artifact_type: str = "image",
    filename: str = "pic.png",
    content_type: str = "image/png",
    path: str = "/api/uploads/artifact",
    **fields: str,
) -> httpx.Response:
    form = {"board_id": board, "artifact_type": artifact_type, **fields}
    return await http.post(path, data=form, files={"file": (filename, data, content_type)})


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert a problem+json error with this status and code; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body
