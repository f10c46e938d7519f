"""Cross-site request refusal. A web page on another site can make a browser send "simple" requests
(form posts: text/plain, urlencoded, multipart) to this API without asking first; with ATELIER_AUTH=none,
or cookies, that would let any page a developer visits change their data. So state-changing requests
(POST, PUT, PATCH, DELETE):

- carrying an `Origin` must come from this server's own origin or one in ATELIER_CORS_ORIGINS (403);
- with a body must send JSON (`application/json`, `…+json`) or a multipart upload (415 otherwise).

Signed file PUTs (direct uploads carry the file's own type) and provider webhooks are exempt: the
signature, not the browser, authenticates them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlsplit

from litestar.types import ASGIApp, Receive, Scope, Send

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT_PREFIXES = ("/api/v1/files/", "/api/v1/webhooks/")


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def same_origin(origin: str, host: str | None) -> bool:
    """The Origin names the host the request was sent to (whatever the scheme: TLS may end at a proxy)."""
    parts = urlsplit(origin)
    return bool(host) and parts.netloc.lower() == (host or "").lower()


def json_or_multipart(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json") or media == "multipart/form-data"


class CrossSiteGuard:
    """ASGI middleware enforcing the rules above before any handler (or authentication) runs."""

    def __init__(
        self, app: ASGIApp, allowed_origins: Sequence[str], public_base_url: str | None = None
    ) -> None:
        self.app = app
        self.allowed = {_origin_of(origin) for origin in allowed_origins if origin != "*"}
        if public_base_url:
            self.allowed.add(_origin_of(public_base_url))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = cast(dict[str, Any], scope)
        if (
            raw["type"] != "http"
            or raw.get("method") not in STATE_CHANGING
            or raw["path"].startswith(EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        origin = headers.get("origin")
        if (
            origin
            and origin != "null"
            and _origin_of(origin) not in self.allowed
            and not same_origin(origin, headers.get("host"))
        ):
            await _problem(send, scope, 403, "CROSS_SITE_REQUEST", f"requests from {origin} are not allowed")
            return
        if origin == "null":  # sandboxed frames and file: pages
            await _problem(
                send, scope, 403, "CROSS_SITE_REQUEST", "requests from an opaque origin are not allowed"
            )
            return
        has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
        if has_body and not json_or_multipart(headers.get("content-type")):
            detail = "send JSON (Content-Type: application/json), or a multipart/form-data upload"
            await _problem(send, scope, 415, "UNSUPPORTED_MEDIA_TYPE", detail)
            return
        await self.app(scope, receive, send)


async def _problem(send: Send, scope: Scope, status: int, code: str, detail: str) -> None:
    body = json.dumps(
        {
            "type": f"https://atelier.dev/problems/{code.lower().replace('_', '-')}",
            "title": "Forbidden" if status == 403 else "Unsupported Media Type",
            "status": status,
            "detail": detail,
            "instance": scope["path"],
            "code": code,
        }
    ).encode()
    start: Any = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    end: Any = {"type": "http.response.body", "body": body}
    await send(start)
    await send(end)
