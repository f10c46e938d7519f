"""Every failure → an RFC 9457 problem body (application/problem+json). Handlers return, never raise (G3)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import DBAPIError

from app.db.refusals import MESSAGES, refusal
from app.db.transactions import keep_changes
from app.domain.credits import InsufficientCredits
from app.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthenticated,
    UnknownTenant,
)
from app.domain.uploads import TooLarge, UnsupportedContent
from app.platform.logging import get_logger
from app.platform.outages import RETRY_AFTER_S, is_outage
from app.storage import StorageFault

PROBLEM_JSON = "application/problem+json"
DOMAIN_STATUS: dict[type[DomainError], int] = {  # first match wins: subclasses before their bases
    TooLarge: 413,
    UnsupportedContent: 415,
    InsufficientCredits: 402,
    UnknownTenant: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    RateLimited: 429,
}
HTTP_CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    416: "RANGE_NOT_SATISFIABLE",
    422: "BAD_USER_INPUT",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}
log = get_logger("atelier.api.errors")


def problem(
    request: Request[Any, Any, Any], status: int, detail: str, code: str, **extra: Any
) -> Response[dict[str, Any]]:
    """Build one problem response; `code` is the same machine-readable code GraphQL uses."""
    body: dict[str, Any] = {
        "type": f"https://atelier.dev/problems/{code.lower().replace('_', '-')}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
    }
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        body["requestId"] = request_id
    body.update({_camel(k): v for k, v in extra.items() if v is not None})  # camelCase, like all REST JSON
    headers = {"Retry-After": str(extra["retry_after"])} if extra.get("retry_after") else {}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    if exc.keep_changes:
        keep_changes(request.scope)
    status = next((s for cls, s in DOMAIN_STATUS.items() if isinstance(exc, cls)), 400)
    return problem(request, status, exc.message, exc.code, **exc.details)


def validation_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    errors = exc.extra if isinstance(exc.extra, list) else None
    return problem(request, 400, exc.detail, "BAD_USER_INPUT", errors=errors)


def msgspec_validation_handler(
    request: Request[Any, Any, Any], exc: msgspec.ValidationError
) -> Response[dict[str, Any]]:
    return problem(request, 400, str(exc), "BAD_USER_INPUT")


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    if status >= 500:
        log.error("http error", status=status, detail=exc.detail)
        return problem(request, status, HTTPStatus(status).phrase, "INTERNAL_SERVER_ERROR")
    headers = exc.headers or {}
    retry_after = headers.get("Retry-After") or (
        headers.get("RateLimit-Reset", "60") if status == 429 else None
    )
    response = problem(
        request, status, exc.detail, HTTP_CODES.get(status, "BAD_REQUEST"), retry_after=retry_after
    )
    response.headers.update({k: v for k, v in headers.items() if k.lower().startswith("ratelimit")})
    if status == 405 and (allow := headers.get("allow") or headers.get("Allow")):
        response.headers["Allow"] = allow  # RFC 9110 §15.5.6: a 405 lists the methods the target supports
    if status == 416 and (content_range := headers.get("Content-Range")):
        response.headers["Content-Range"] = content_range
    return response


def database_error_handler(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[dict[str, Any]]:
    """A value the database refused (400) or a key it could not take (409); anything else is a fault."""
    kind = refusal(exc)
    if kind == "invalid":
        return problem(request, 400, MESSAGES[kind], "BAD_USER_INPUT")
    if kind == "conflict":
        return problem(request, 409, MESSAGES[kind], "CONFLICT")
    return internal_error_handler(request, exc)


def recursion_handler(request: Request[Any, Any, Any], exc: RecursionError) -> Response[dict[str, Any]]:
    """A body nested deeper than the decoder goes (thousands of levels of JSON)."""
    return problem(request, 400, "the request body is nested too deeply", "BAD_USER_INPUT")


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if is_outage(exc):  # PostgreSQL or Redis unreachable: the client should retry, nothing is wrong with it
        log.warning("service unavailable", error=type(exc).__name__, detail=str(exc)[:300])
        detail = "a backing service is unreachable; retry shortly"
        graphql = [
            {"message": detail, "extensions": {"code": "SERVICE_UNAVAILABLE"}}
        ]  # GraphQL clients read these
        return problem(
            request, 503, detail, "SERVICE_UNAVAILABLE", retry_after=str(RETRY_AFTER_S),
            errors=graphql if request.url.path.startswith("/graphql") else None,
        )  # fmt: skip
    if isinstance(exc, StorageFault):
        log.warning("storage cannot take writes", code=exc.code, detail=str(exc))
        return problem(request, 503, str(exc), exc.code, retry_after=str(RETRY_AFTER_S))
    log.exception("unhandled error", exc_info=exc)
    return problem(
        request,
        500,
        "an internal error occurred; the request id identifies it in the logs",
        "INTERNAL_SERVER_ERROR",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    msgspec.ValidationError: msgspec_validation_handler,
    HTTPException: http_error_handler,
    DBAPIError: database_error_handler,
    RecursionError: recursion_handler,
    Exception: internal_error_handler,
}
