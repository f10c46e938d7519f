"""The execution timeout on every transport, and the websocket's unit of work.

- GET and POST run through `Schema.execute` (app.graphql.schema.AtelierSchema): the whole execution is
  bounded.
- graphql-ws / graphql-transport-ws run every operation through `Schema.stream`: a query or mutation sent
  over a websocket is bounded like a POST; a subscription waits for events for as long as it lives, so what
  is bounded there is its work, not its life: the access check that sets it up and each re-read after an
  event (`bounded_step` in the resolvers).

A bounded operation that runs out of time answers one GraphQL error with code QUERY_TIMEOUT; the unit of
work is rolled back (nothing half-done is committed).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from strawberry.types.execution import ExecutionResult

from app.db.transactions import COMMIT_FAILED, run_after_commit
from app.domain.errors import DomainError
from app.graphql.errors import UNAVAILABLE, log
from app.platform.outages import is_outage

QUERY_TIMEOUT = "QUERY_TIMEOUT"
T = TypeVar("T")


class OperationTimedOut(DomainError):
    """A subscription's setup or re-read ran longer than the operation timeout."""

    code = QUERY_TIMEOUT


def timeout_message(seconds: float) -> str:
    return f"The operation ran longer than {seconds:g} s and was stopped."


def timeout_result(seconds: float) -> ExecutionResult:
    error = GraphQLError(timeout_message(seconds), extensions={"code": QUERY_TIMEOUT})
    return ExecutionResult(data=None, errors=[error])


async def roll_back(context: Any) -> None:
    """Nothing of a stopped operation is committed, and its connection, stopped mid-statement, is not
    reused: the session is invalidated (rolled back, closed, its connection discarded by the pool)."""
    session = getattr(context, "session", None)
    if session is not None:
        await session.invalidate()


def is_subscription(query: str | None, operation_name: str | None) -> bool:
    """Whether the document's selected operation is a subscription (False for a document that does not
    parse: Strawberry reports that itself)."""
    if not query:
        return False
    try:
        document = parse(query)
    except GraphQLError:
        return False
    for node in document.definitions:
        if not isinstance(node, OperationDefinitionNode):
            continue
        if operation_name is None or (node.name is not None and node.name.value == operation_name):
            return node.operation is OperationType.SUBSCRIPTION
    return False


async def bounded_stream(
    source: AsyncGenerator[T, None], seconds: float | None, context: Any
) -> AsyncGenerator[T | ExecutionResult, None]:
    """The results of a query or mutation run over a websocket, the whole run bounded by `seconds`. The
    connection's session is released after each such operation: nothing else closes a websocket's session
    (HTTP requests have theirs closed when the response is sent), so it held a pooled connection until
    garbage collection."""
    try:
        async with asyncio.timeout(seconds):
            results = [item async for item in source]
    except TimeoutError:
        await source.aclose()
        await roll_back(context)
        yield timeout_result(seconds or 0)
        return
    for item in await end_unit_of_work(context, results):
        yield item


async def end_unit_of_work(context: Any, results: list[T]) -> list[T | ExecutionResult]:
    """Commit what a websocket's query or mutation changed before its result is sent, as an HTTP request's
    unit of work does when its response starts (app.db.transactions): a websocket has no response, so nothing
    else commits. The error policy has already rolled back an operation that failed. A failed commit replaces
    the result by a coded error: a mutation is never reported done when it was lost."""
    session = getattr(context, "session", None)
    if session is None:
        return list(results)
    try:
        await session.commit()
    except Exception as failure:
        await session.invalidate()
        code = UNAVAILABLE if is_outage(failure) else "INTERNAL_SERVER_ERROR"
        log.error("websocket commit failed", code=code, exc_info=failure)
        error = GraphQLError(COMMIT_FAILED, extensions={"code": code})
        return [ExecutionResult(data=None, errors=[error])]
    await run_after_commit(getattr(context, "after_commit", []))
    await session.close()
    return list(results)


@asynccontextmanager
async def bounded_step(seconds: float | None) -> AsyncIterator[None]:
    """One step of a subscription's work (its access check, a re-read), bounded; OperationTimedOut after."""
    if seconds is None:
        yield
        return
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise OperationTimedOut(timeout_message(seconds)) from None
