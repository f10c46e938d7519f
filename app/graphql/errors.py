"""DomainError → GraphQL error with extensions.code; anything unexpected is masked and logged once."""

from __future__ import annotations

from typing import Any

import msgspec
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import InvalidOperationTypeError

from app.db.refusals import MESSAGES, refusal
from app.domain.errors import DomainError
from app.platform.logging import get_logger
from app.platform.outages import RETRY_AFTER_S, is_outage

log = get_logger("atelier.graphql")
MASKED_MESSAGE = "Internal server error"
UNAVAILABLE = "SERVICE_UNAVAILABLE"


REFUSAL_CODES = {"invalid": "BAD_USER_INPUT", "conflict": "CONFLICT"}


def classify(error: GraphQLError) -> tuple[str, str, dict[str, Any]]:
    """(code, message, extra extensions) for one error."""
    original = error.original_error
    if original is None:  # validation, or a refusal that carries its own code (QUERY_TOO_COMPLEX)
        return (error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED", error.message, {}
    if isinstance(original, DomainError):
        return original.code, original.message, dict(original.details)
    if isinstance(original, msgspec.ValidationError):
        return "BAD_USER_INPUT", str(original), {}
    if isinstance(original, GraphQLError):  # e.g. a scalar that failed to parse
        return "BAD_USER_INPUT", original.message, {}
    if isinstance(original, InvalidOperationTypeError):  # a mutation over the subscriptions-only protocol
        kind = original.operation_type.value
        return "OPERATION_NOT_SUPPORTED", f"{kind} operations are not supported over this transport", {}
    return _backing_service(original) or ("INTERNAL_SERVER_ERROR", MASKED_MESSAGE, {})


def _backing_service(original: BaseException) -> tuple[str, str, dict[str, Any]] | None:
    """A database refusal of the input (NUL in text, a number past bigint, a unique key race), or an
    outage; None for anything else."""
    kind = refusal(original)
    if kind is not None:
        return REFUSAL_CODES[kind], MESSAGES[kind], {}
    if is_outage(original):
        return UNAVAILABLE, "a backing service is unreachable; retry shortly", {"retryAfter": RETRY_AFTER_S}
    return None


def code_request_errors(errors: list[GraphQLError]) -> None:
    """Give syntax and validation errors (those that never reach execution) their code, in place."""
    for error in errors:
        if not (error.extensions or {}).get("code"):
            code = "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else classify(error)[0]
            error.extensions = {**(error.extensions or {}), "code": code}


async def settle_errors(errors: list[GraphQLError], session: Any) -> list[GraphQLError]:
    """An operation's execution errors, coded and masked; the unit of work is rolled back first unless
    every error is a domain error that asks to keep the changes."""
    keep = all(isinstance(e.original_error, DomainError) and e.original_error.keep_changes for e in errors)
    if session is not None and not keep:
        try:
            await session.rollback()
        except Exception as failure:  # the connection died with the database: nothing left to roll back
            if not is_outage(failure):
                raise
    coded: list[GraphQLError] = []
    for error in errors:
        code, message, extra = classify(error)
        if code == "INTERNAL_SERVER_ERROR":
            log.error("resolver failed", path=error.path, exc_info=error.original_error)
        coded.append(
            GraphQLError(
                message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                original_error=None
                if code in {"INTERNAL_SERVER_ERROR", UNAVAILABLE}
                else error.original_error,
                extensions={**(error.extensions or {}), **extra, "code": code},
            )
        )
    return coded


class ErrorPolicy(SchemaExtension):
    """Codes every error, masks internals, and rolls back the unit of work when any error occurred.

    Rolling back matters because GraphQL answers HTTP 200 on resolver errors, and advanced-alchemy's
    autocommit would otherwise commit a half-done mutation (STYLE S-GQL1). A schema extension: it runs on
    every transport (GET, POST, websockets).
    """

    async def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = await settle_errors(
            result.errors, getattr(self.execution_context.context, "session", None)
        )
