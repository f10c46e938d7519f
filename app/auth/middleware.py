"""The middleware that authenticates every HTTP and websocket request and stores the Actor on it."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from app.auth.bootstrap import bootstrap_actor
from app.domain.actor import Actor
from app.domain.errors import Unauthenticated

ACTOR_STATE_KEY = "actor"


class ActorMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller. In `none` mode every request is the local developer user."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        actor = connection.app.state.get(ACTOR_STATE_KEY)
        if not isinstance(actor, Actor):
            actor = await _bootstrap_once(connection)
        return AuthenticationResult(user=actor, auth=None)


async def _bootstrap_once(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """Resolve the `none`-mode actor on first use, so the app starts (and /ready reports) with the DB down."""
    state = connection.app.state
    session_maker = state[state.alchemy.session_maker_app_state_key]  # the plugin's, disposed with the app
    actor = await bootstrap_actor(session_maker, state.settings)  # idempotent upsert: a race is harmless
    state[ACTOR_STATE_KEY] = actor
    return actor


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """The Actor the middleware put on this connection."""
    user = connection.scope.get("user")
    if not isinstance(user, Actor):
        raise Unauthenticated("not authenticated")
    return user
