"""Personal data policy: a user's e-mail address and auth subject are seen by that user and by the tenant's
admins only. Every user view either API returns passes through `visible`, so the rule lives here once."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from app.contracts import User
from app.domain.actor import Actor


def sees_private(actor: Actor, user: User) -> bool:
    return actor.user_id is not None and (actor.user_id == user.id or actor.is_admin)


def visible(user: User, actor: Actor) -> User:
    """The user as this actor may see them: private fields are null unless it is them or an admin."""
    if sees_private(actor, user) or (user.email is None and user.auth_subject is None):
        return user
    return msgspec.structs.replace(user, email=None, auth_subject=None, email_verified_at=None)


def visible_all(users: Iterable[User], actor: Actor) -> list[User]:
    return [visible(user, actor) for user in users]
