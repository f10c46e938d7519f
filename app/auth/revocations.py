"""Ended sessions: their access tokens stop working at once, with no database read per request.

Each access token names its session (`sid`, the refresh-token family). Ending a session (log-out, a
password change or reset ends all of the user's, a replayed refresh token ends its family) records the id
in Redis (`<namespace>:<sid>`, kept as long as an access token can live) and publishes it; every API
process keeps the ids in memory, fed by its one pub/sub connection, so a request checks a set. After a
reconnect (messages may have been missed) and at start the set is reloaded from Redis. The process that
ends a session knows at once; the others within the pub/sub delay (milliseconds).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from redis.exceptions import RedisError

from app.platform.logging import get_logger
from app.platform.pubsub import Follower, PubSubHub

log = get_logger("atelier.auth.revocations")
CHANNEL = "atelier:sessions:ended"


class Revocations:
    """Implements app.domain.accounts.SessionRevoker; `is_ended` is the per-request check."""

    def __init__(self, redis: Any, *, ttl_s: int, namespace: str = "atelier:ended") -> None:
        self._redis = redis
        self._ttl_s = ttl_s
        self._namespace = namespace
        self._ended: dict[str, float] = {}  # sid -> when it may be forgotten (its tokens have expired)
        self._follower = Follower(CHANNEL, self._announced, self.reload)

    def is_ended(self, session_id: str | None) -> bool:
        if session_id is None:
            return False
        until = self._ended.get(session_id)
        if until is None:
            return False
        if until < time.time():
            self._ended.pop(session_id, None)
            return False
        return True

    def _remember(self, session_id: str) -> None:
        self._ended[session_id] = time.time() + self._ttl_s

    async def revoke(self, session_ids: Sequence[UUID]) -> None:
        ids = [str(i) for i in session_ids]
        for sid in ids:
            self._remember(sid)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for sid in ids:
                    pipe.set(f"{self._namespace}:{sid}", "1", ex=self._ttl_s)
                    pipe.publish(CHANNEL, json.dumps({"sid": sid}))
                await pipe.execute()
        except RedisError as error:  # this process refuses them; others only once Redis is back
            log.warning("ended sessions not shared: Redis unreachable", error=str(error))

    async def reload(self) -> None:
        """Every ended session Redis still knows (at start, and after missed messages)."""
        try:
            async for key in self._redis.scan_iter(match=f"{self._namespace}:*", count=500):
                name = key.decode() if isinstance(key, bytes) else str(key)
                self._remember(name.rsplit(":", 1)[-1])
        except RedisError as error:
            log.warning("ended sessions not reloaded: Redis unreachable", error=str(error))

    def _announced(self, data: dict[str, Any]) -> None:
        if isinstance(data.get("sid"), str):
            self._remember(data["sid"])

    async def start(self, hub: PubSubHub) -> None:
        """Follow other processes' revocations (a Redis down at start: tokens end per process meanwhile)."""
        if await self._follower.start(hub):
            await self.reload()  # after subscribing: a session ended in between is in one or the other

    async def stop(self) -> None:
        await self._follower.stop()
