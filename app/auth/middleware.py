"""The middleware that authenticates every HTTP and websocket request and stores the Actor on it."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from app.domain.actor import Actor
from app.domain.errors import Unauthenticated


class ActorMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller through the process's Authenticator (app.state.authenticator)."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        state = connection.app.state
        sessions = state[state.alchemy.session_maker_app_state_key]  # the plugin's, disposed with the app
        actor = await state.authenticator.authenticate(connection, sessions)
        return AuthenticationResult(user=actor, auth=None)


def actor_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    """The Actor the middleware put on this connection."""
    user = connection.scope.get("user")
    if not isinstance(user, Actor):
        raise Unauthenticated("not authenticated")
    return user
