"""The REST unit of work: commit on success, roll back on failure — and never claim success that was lost.

advanced-alchemy's autocommit handler swallows a failed commit (it logs at debug and sends the 2xx anyway).
This one turns a failed commit into a 500 problem response, and it also commits when a domain error asks
for it (`DomainError.keep_changes`, e.g. revoking a stolen refresh token family while answering 401).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, cast

from advanced_alchemy.extensions.litestar._utils import delete_aa_scope_state, get_aa_scope_state
from advanced_alchemy.extensions.litestar.plugins.init.config.common import SESSION_TERMINUS_ASGI_EVENTS
from litestar.types import Message, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.logging import get_logger

KEEP_CHANGES = "atelier.keep_changes"
AUTOCOMMIT = "atelier.autocommit"
AFTER_COMMIT = "atelier.after_commit"
_FAILED = "atelier.commit_failed"
COMMIT_FAILED = "the change could not be saved; nothing was changed"  # REST and GraphQL over ws say the same
log = get_logger("atelier.db")


# Read-only units of work (GraphQL queries) run in autocommit: PostgreSQL's READ COMMITTED gives each
# statement its own snapshot anyway, and autocommit saves the BEGIN and COMMIT round trips.
READ_ONLY = {"isolation_level": "AUTOCOMMIT"}


def nothing_to_commit(scope: Scope) -> None:
    """This request's session runs in autocommit (a GraphQL query): there is no transaction to
    end, so when the response starts the unit of work only closes the session (as it always does then)."""
    scope.setdefault("state", {})[AUTOCOMMIT] = True


def keep_changes(scope: Scope) -> None:
    """Commit this request's changes even though it answers with an error."""
    scope.setdefault("state", {})[KEEP_CHANGES] = True


def after_commit_list(scope: Scope) -> list[Any]:
    """Callbacks to run once this request's changes are committed (e.g. queueing a job for a new row)."""
    state = scope.setdefault("state", {})
    callbacks: list[Any] = state.setdefault(AFTER_COMMIT, [])
    return callbacks


async def run_after_commit(callbacks: list[Any]) -> None:
    """Run (and clear) post-commit callbacks. A failure is logged, not raised: the row is committed, and
    the sweeper picks up whatever was not queued."""
    while callbacks:
        callback = callbacks.pop(0)
        try:
            await callback()
        except Exception:
            log.exception("after-commit action failed; the sweeper will retry it")


def _problem_body(scope: Scope) -> bytes:
    body = {
        "type": "https://atelier.dev/problems/internal-server-error",
        "title": "Internal Server Error",
        "status": 500,
        "detail": COMMIT_FAILED,
        "instance": scope.get("path"),
        "code": "INTERNAL_SERVER_ERROR",
        "request_id": scope.get("state", {}).get("request_id"),
    }
    return json.dumps(body).encode()


def make_before_send(session_scope_key: str) -> Callable[[Message, Scope], Awaitable[None]]:
    """The handler for one alchemy config: advanced-alchemy numbers the scope key of every config after the
    process's first, so the key must come from the config, never the module constant."""

    async def handler(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.body" and _FAILED not in scope.get("state", {}):
            return  # a chunk of a started response (every live-stream event): checked before another call
        await _before_send(message, scope, session_scope_key)

    return handler


async def _before_send(message: Message, scope: Scope, session_scope_key: str) -> None:
    if message["type"] == "http.response.body" and _FAILED not in scope.get("state", {}):
        return  # a chunk of a started response: nothing to commit, close or replace (every live-stream event)
    session = cast(AsyncSession | None, get_aa_scope_state(scope, session_scope_key))
    state = scope.setdefault("state", {})
    msg = cast(dict[str, Any], message)
    try:
        if session is not None and msg["type"] == "http.response.start":
            if 200 <= msg["status"] < 300 or state.get(KEEP_CHANGES):
                try:
                    if not state.get(AUTOCOMMIT):  # autocommit: nothing to commit (closed just below)
                        await session.commit()
                    await run_after_commit(state.get(AFTER_COMMIT, []))
                except Exception:
                    log.exception("commit failed; answering 500")
                    await session.rollback()
                    body = _problem_body(scope)
                    state[_FAILED] = body
                    msg["status"] = 500
                    msg["headers"] = [
                        (b"content-type", b"application/problem+json"),
                        (b"content-length", str(len(body)).encode()),
                    ]
            else:
                await session.rollback()
                state.pop(AFTER_COMMIT, None)
        elif msg["type"] == "http.response.body" and _FAILED in state:
            msg["body"], msg["more_body"] = state.pop(_FAILED), False
    finally:
        if session is not None and msg["type"] in SESSION_TERMINUS_ASGI_EVENTS:
            await session.close()
            delete_aa_scope_state(scope, session_scope_key)
