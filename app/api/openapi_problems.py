"""Document the errors every REST operation can answer as RFC 9457 problems, as the server really sends them.

Litestar documents only a generic 400 with its own error shape; generated clients then type errors wrongly.
Each operation instead lists the problem statuses that apply to it, all with the Problem contract and the
application/problem+json media type.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from app.api.errors import PROBLEM_JSON
from app.contracts import Problem

_ALWAYS = {
    400: "Bad input (code BAD_USER_INPUT).",
    401: "Not signed in, or the credentials are invalid (UNAUTHENTICATED).",
    429: "Too many requests (RATE_LIMITED); see Retry-After.",
    503: "PostgreSQL, Redis or storage is unavailable (SERVICE_UNAVAILABLE); see Retry-After.",
}
_ON_RESOURCES = {
    403: "Signed in without the access this needs (FORBIDDEN).",
    404: "No such resource, or one you may not see (NOT_FOUND).",
}
_ON_WRITES = {409: "Conflicts with the current state (CONFLICT).", 422: "Invalid input (BAD_USER_INPUT)."}


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem, media_type=PROBLEM_JSON, description=description, generate_examples=False
    )


def _statuses(handler: HTTPRouteHandler, path: str) -> dict[int, str]:
    statuses = dict(_ALWAYS)
    if "{" in path or handler.http_methods - {"GET", "HEAD"}:
        statuses |= _ON_RESOURCES
    if handler.http_methods - {"GET", "HEAD"}:
        statuses |= _ON_WRITES
    return statuses


def document_problems(app: Litestar) -> None:
    """Give every documented REST operation its problem responses (before the schema is first built)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema or not route.path.startswith("/api/"):
                continue
            declared = dict(handler.responses or {})
            problems = {status: _spec(text) for status, text in _statuses(handler, route.path).items()}
            handler.responses = {**problems, **declared}
