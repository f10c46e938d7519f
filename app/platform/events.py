"""Progress events: published on Redis pub/sub AFTER the state change is committed to the database.

Channels: `atelier:generation:<id>` (one generation) and `atelier:board:<id>` (everything on a board).
Events carry the keys the Boards client reads (job_id, status, progress, phase, message, artifacts,
timestamp) plus camelCase jobId.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from app.contracts import Generation

KEEPALIVE_S = 15.0


def generation_channel(generation_id: UUID | str) -> str:
    return f"atelier:generation:{generation_id}"


def board_channel(board_id: UUID | str) -> str:
    return f"atelier:board:{board_id}"


def progress_event(generation: Generation, *, phase: str | None, message: str | None) -> dict[str, Any]:
    artifacts = (
        [{"url": generation.storage_url, "type": generation.artifact_type.value}]
        if generation.storage_url
        else []
    )
    return {
        "job_id": str(generation.id),
        "jobId": str(generation.id),
        "board_id": str(generation.board_id),
        "status": generation.status.value,
        "progress": generation.progress,
        "phase": phase,
        "message": message,
        "estimated_completion": None,
        "artifacts": artifacts,
        "error": generation.error_message,
        "timestamp": datetime.now(UTC).isoformat(),
    }


async def publish(
    redis: Any, generation: Generation, *, phase: str | None = None, message: str | None = None
) -> None:
    payload = json.dumps(progress_event(generation, phase=phase, message=message))
    pipe = redis.pipeline(transaction=False)
    pipe.publish(generation_channel(generation.id), payload)
    pipe.publish(board_channel(generation.board_id), payload)
    await pipe.execute()


class Subscription:
    """A Redis pub/sub subscription opened in the handler (before the snapshot is read, so nothing between
    the two is lost) and drained by the stream, which closes it."""

    def __init__(self, redis: Any, channel: str) -> None:
        self._pubsub = redis.pubsub()
        self._channel = channel

    async def open(self) -> Subscription:
        await self._pubsub.subscribe(self._channel)
        return self

    async def close(self) -> None:
        await self._pubsub.unsubscribe(self._channel)
        await self._pubsub.aclose()

    async def messages(self) -> AsyncIterator[dict[str, Any] | None]:
        """Decoded events; None after KEEPALIVE_S of silence (time for a keep-alive)."""
        quiet_since = time.monotonic()
        while True:
            message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=KEEPALIVE_S)
            if message is not None:
                quiet_since = time.monotonic()
                yield json.loads(message["data"])
            elif time.monotonic() - quiet_since >= KEEPALIVE_S:  # (None also follows control messages)
                quiet_since = time.monotonic()
                yield None
