"""The web page (clients/, built by Vite into clients/dist): index.html at / and its hashed /assets/*.

index.html is also served at the few paths mailed links open (LINK_PATHS: the page reads the token from the
URL and posts it to the API). Only these routes, so the page can never shadow /api, /graphql, /schema,
/health or /ready. When the page is not built, / explains how to build it instead of failing.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Controller, MediaType, Response, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import File

from app.domain.errors import NotFound

# Module scripts must be served as JavaScript, whatever this machine's mime.types says.
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
# Where mailed links point (verification, password reset, invitation): the web app handles them.
LINK_PATHS = ["/verify-email", "/reset-password", "/invitations/accept"]
NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Atelier</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Atelier is running</h1>
<p>The web page is not built here ({where} has no index.html). <code>make run</code> builds it
(<code>make web</code> alone builds it; it needs node and npm).</p>
<p>The API works without it: <a href="/graphql">GraphQL</a>, <a href="/schema">REST (OpenAPI)</a>,
<a href="/health">health</a>.</p></body></html>
"""


class WebController(Controller):
    include_in_schema = False
    opt = {"exclude_from_auth": True}  # the page itself is public; its API calls carry the auth

    @get(["/", *LINK_PATHS], media_type=MediaType.HTML, cache_control=None, sync_to_thread=False)
    def index(self, state: State) -> Response[str] | File:
        root: Path = state.settings.resolved_web_dir
        page = root / "index.html"
        if not page.is_file():
            return Response(NOT_BUILT.format(where=root), media_type=MediaType.HTML, status_code=404)
        return File(page, media_type=MediaType.HTML, content_disposition_type="inline",
                    headers={"Cache-Control": "no-cache"})  # fmt: skip

    @get("/assets/{name:path}", sync_to_thread=False)
    def asset(self, state: State, name: FromPath[str]) -> File:
        assets = (state.settings.resolved_web_dir / "assets").resolve()
        path = (assets / name.lstrip("/")).resolve()
        if not path.is_file() or not path.is_relative_to(assets):
            raise NotFound("no such asset")
        # Vite puts a content hash in every asset name: cache for a year.
        media_type = (
            TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return File(path, media_type=media_type, content_disposition_type="inline",
                    headers={"Cache-Control": "public, max-age=31536000, immutable"})  # fmt: skip
