"""Authentication: turns a request's credentials into an Actor, once per request, for both APIs.

Issue 2 ships the `none` mode (one local developer user); the other adapters plug in behind the same
middleware (see app.auth.middleware).
"""

from app.auth.middleware import ActorMiddleware, actor_of

__all__ = ["ActorMiddleware", "actor_of"]
