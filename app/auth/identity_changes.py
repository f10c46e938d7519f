"""Cached identities go stale at once in every API process: a tenant or user an admin changed (disabled,
re-enabled) is announced on one Redis channel after the change commits, and each process's Authenticator,
following the channel through its one pub/sub connection (app.platform.pubsub), drops what it cached about
it. Publishing before the commit would let another process re-read and cache the old row.

Without Redis the announcing process still forgets at once; the others within the caches' TTL (60 s).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from uuid import UUID

from redis.exceptions import RedisError

from app.platform.logging import get_logger

log = get_logger("atelier.auth.identity")
CHANNEL = "atelier:identity:changed"
KINDS = ("tenant", "user")


class IdentityChanges:
    """Announces changed tenants and users to every process (this one first, through `local`)."""

    def __init__(self, redis: Any, *, local: Callable[[str, UUID], None] | None = None) -> None:
        self._redis = redis
        self._local = local

    async def announce(self, kind: str, ident: UUID) -> None:
        if self._local is not None:
            self._local(kind, ident)
        try:
            await self._redis.publish(CHANNEL, json.dumps({kind: str(ident)}))
        except RedisError as error:
            log.warning("identity change not shared: Redis unreachable", kind=kind, error=str(error))


class AfterCommitChanges:
    """The domain's TenantChanges/UserChanges ports: each announcement waits for the unit of work's commit."""

    def __init__(self, changes: IdentityChanges, after_commit: list[Callable[[], Awaitable[None]]]) -> None:
        self._changes, self._after_commit = changes, after_commit

    def tenant_changed(self, tenant_id: UUID) -> None:
        self._after_commit.append(partial(self._changes.announce, "tenant", tenant_id))

    def user_changed(self, user_id: UUID) -> None:
        self._after_commit.append(partial(self._changes.announce, "user", user_id))


def parse(data: Any) -> tuple[str, UUID] | None:
    """(kind, id) of one announcement; None for anything else on the channel."""
    if not isinstance(data, dict):
        return None
    for kind in KINDS:
        value = data.get(kind)
        if isinstance(value, str):
            try:
                return kind, UUID(value)
            except ValueError:
                return None
    return None
