"""Progress events: published on Redis pub/sub AFTER the state change is committed to the database, and
received by API processes through their one pub/sub connection (app.platform.pubsub.PubSubHub).

Channels: `atelier:generation:<id>` (one generation) and `atelier:board:<id>` (everything on a board).
Events carry the keys the Boards client reads (job_id, status, progress, phase, message,
estimated_completion, artifacts, timestamp) plus camelCase jobId, board_id and error.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from redis.exceptions import RedisError

from app.contracts import Generation
from app.platform import tracing
from app.platform.logging import get_logger
from app.platform.pubsub import OVERFLOW, Gap, Message, Subscriber

log = get_logger("atelier.events")
KEEPALIVE_S = 15.0
TERMINAL = frozenset({"completed", "failed", "cancelled"})


def generation_channel(generation_id: UUID | str) -> str:
    return f"atelier:generation:{generation_id}"


def board_channel(board_id: UUID | str) -> str:
    return f"atelier:board:{board_id}"


def progress_event(generation: Generation, *, now: datetime | None = None) -> dict[str, Any]:
    """The event for a generation's committed state: phase and message come from the row, so the snapshot a
    stream starts with and the events that follow say the same thing."""
    now = now or datetime.now(UTC)
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
        "phase": generation.phase,
        "message": generation.message,
        "estimated_completion": estimated_completion(generation, now),
        "artifacts": artifacts,
        "error": generation.error_message,
        "timestamp": now.isoformat(),
    }


def estimated_completion(generation: Generation, now: datetime) -> str | None:
    """Now plus the time left at the pace so far (elapsed × (1 − p) / p); None until there is a pace."""
    started, fraction = generation.started_at, generation.progress
    if generation.status.value != "processing" or started is None or not 0 < fraction < 1:
        return None
    elapsed = max((now - started).total_seconds(), 0.0)
    return (now + timedelta(seconds=elapsed * (1 - fraction) / fraction)).isoformat()


async def publish(redis: Any, generation: Generation) -> None:
    """Announce a state change that is already committed (on the generation's and the board's channel).

    Best effort: a subscriber that misses an event (Redis down or restarted) re-reads the state from the
    database once its hub reconnects, so a lost event never fails a job."""
    payload = json.dumps(progress_event(generation))
    try:
        with tracing.span("publish", {"atelier.generation.status": generation.status.value}):
            pipe = redis.pipeline(transaction=False)
            pipe.publish(generation_channel(generation.id), payload)
            pipe.publish(board_channel(generation.board_id), payload)
            await pipe.execute()
    except (RedisError, OSError) as error:
        log.warning("progress event not published", generation_id=str(generation.id), error=str(error))


async def publish_many(redis: Any, generations: list[Generation]) -> None:
    """`publish` for several committed changes in ONE round trip (the sweeper's recovered rows)."""
    if not generations:
        return
    try:
        pipe = redis.pipeline(transaction=False)
        for generation in generations:
            payload = json.dumps(progress_event(generation))
            pipe.publish(generation_channel(generation.id), payload)
            pipe.publish(board_channel(generation.board_id), payload)
        await pipe.execute()
    except (RedisError, OSError) as error:
        log.warning("progress events not published", generations=len(generations), error=str(error))


class PublishAfterCommit:
    """Publishes a generation that appeared complete (an upload) once the request's changes are committed."""

    def __init__(self, redis: Any, after_commit: list[Any]) -> None:
        self._redis = redis
        self._after_commit = after_commit

    def completed_after_commit(self, generation: Generation) -> None:
        if self._redis is None:
            return

        async def send() -> None:
            await publish(self._redis, generation)

        self._after_commit.append(send)


def event_key(event: dict[str, Any]) -> str:
    """A resumable id: the same state gives the same id, so a reconnect with Last-Event-ID skips a repeat."""
    return f"{event['job_id']}:{event['status']}:{event['progress']:.4f}"


def message_key(message: Message) -> str:
    """The event id of a shared Message, computed once for all its subscribers."""
    return message.derive("event_key", _key_of)


def _key_of(message: Message) -> str:
    return event_key(message.data)


def is_terminal(event: dict[str, Any]) -> bool:
    return event["status"] in TERMINAL


def _order(event: dict[str, Any]) -> tuple[int, float]:
    return (2 if is_terminal(event) else int(event["status"] == "processing"), float(event["progress"]))


def message_order(message: Message) -> tuple[int, float]:
    """Where a shared Message's state stands (status, then progress), computed once for all its subscribers."""
    return message.derive("order", _order_of)


def _order_of(message: Message) -> tuple[int, float]:
    return _order(message.data)


class GenerationFollower:
    """What one generation stream has sent: which later event may follow it (newer, and not the same again).

    Shared by the stream's own loop (`follow_generation`) and, for SSE, the hub's fan-out loop that writes a
    live event to the stream directly (app.api.live_sse), so both apply one rule to one state."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.last, self.last_key = snapshot, event_key(snapshot)
        self._last_order = _order(snapshot)

    def finished(self) -> bool:
        return is_terminal(self.last)

    def accept(self, event: Message) -> bool:
        """True (and `event` becomes the last state sent) unless it repeats or predates what was sent."""
        key = message_key(event)
        order = message_order(event)
        if key == self.last_key or order < self._last_order:
            return False  # the same state again (a publish racing the snapshot), or older than what was sent
        self.last, self.last_key, self._last_order = event.data, key, order
        return True


async def follow_generation(
    subscriber: Subscriber,
    snapshot: dict[str, Any],
    reread: Callable[[], Awaitable[dict[str, Any]]],
    keepalive_s: float = KEEPALIVE_S,
    *,
    follower: GenerationFollower | None = None,
) -> AsyncIterator[Message | None]:
    """One generation's events after `snapshot` (already sent) until its terminal state; None = keep-alive.

    On a Gap (missed events) the state is re-read from the database, except after an overflow: the hub
    queues the newest event right behind that Gap, and every event carries the whole state, so reading it
    is enough (when a whole process falls behind, 10,000 streams would otherwise each query at once).
    An event older than the last state sent (it raced the re-read), or the same state again, is skipped:
    status and progress never go backwards and no event id repeats. Live events keep their published
    JSON (`raw`), so a stream forwards them without encoding them again."""
    follower = follower or GenerationFollower(snapshot)
    if follower.finished():
        return
    async for item in subscriber.messages(keepalive_s):
        if item is None:
            yield None
            continue
        if isinstance(item, Gap):
            if item.reason == OVERFLOW:
                continue  # the newest event is queued right behind this gap: no database read needed
            fresh = await reread()
            if event_key(fresh) == follower.last_key:
                continue
            event = Message(fresh, json.dumps(fresh))
        else:
            event = item
        if follower.accept(event):
            yield event
            if follower.finished():
                return


def provider_event_channel(generation_id: UUID | str) -> str:
    """Verified provider webhooks for one generation, relayed by the API to the worker running it."""
    return f"atelier:provider-event:{generation_id}"


async def relay_provider_event(redis: Any, generation_id: UUID | str, payload: dict[str, Any]) -> None:
    await redis.publish(provider_event_channel(generation_id), json.dumps(payload))


class ProviderEvents:
    """The worker's side of the relay: opened before the external job id is committed, so no webhook that
    could be matched to the generation is published before someone listens."""

    def __init__(self, redis: Any, generation_id: UUID) -> None:
        self._pubsub = redis.pubsub()
        self._channel = provider_event_channel(generation_id)

    async def open(self) -> ProviderEvents:
        await self._pubsub.subscribe(self._channel)
        return self

    async def next(self, wait_s: float) -> dict[str, Any] | None:
        message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=max(wait_s, 0.0))
        if message is None:
            return None
        payload = json.loads(message["data"])
        return payload if isinstance(payload, dict) else None

    async def close(self) -> None:
        await self._pubsub.unsubscribe(self._channel)
        await self._pubsub.aclose()


class AfterCommitRelay:
    """Implements app.domain.webhooks.WebhookRelay: publishes once the request's changes are committed."""

    def __init__(self, redis: Any, after_commit: list[Any]) -> None:
        self._redis = redis
        self._after_commit = after_commit

    def relay_after_commit(self, generation_id: UUID, payload: dict[str, Any]) -> None:
        async def relay() -> None:
            await relay_provider_event(self._redis, generation_id, payload)

        self._after_commit.append(relay)
