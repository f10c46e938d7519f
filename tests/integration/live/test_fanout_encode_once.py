"""Fan-out does per-event work once, not once per subscriber: every local stream of a channel receives the
same Message, and the SSE frame and the GraphQL object derived from it are built by the first stream that
asks and shared by all the others (encode once, write many)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from redis.asyncio import Redis

from app.api.controllers.events import frame
from app.graphql.resolvers.subscriptions import _shared as graphql_event
from app.platform.events import event_key, message_key
from app.platform.pubsub import CLIENT_NAME, Message, PubSubHub
from tests.conftest import Servers

SUBSCRIBERS = 300


@pytest.fixture
async def hub(servers: Servers) -> AsyncIterator[PubSubHub]:
    hub = PubSubHub(servers.redis_url, name=f"{CLIENT_NAME}-{uuid4().hex[:6]}")
    await hub.start()
    yield hub
    await hub.stop()


def _event(generation_id: str, progress: float) -> dict[str, object]:
    return {"job_id": generation_id, "jobId": generation_id, "board_id": str(uuid4()), "status": "processing",
            "progress": progress, "phase": "processing", "message": "step 1/2", "estimated_completion": None,
            "artifacts": [], "error": None, "timestamp": "2026-01-01T00:00:00+00:00"}  # fmt: skip


async def test_one_event_is_decoded_and_encoded_once_for_every_subscriber(
    hub: PubSubHub, servers: Servers
) -> None:
    generation_id = str(uuid4())
    channel = f"atelier:generation:{generation_id}"
    subscribers = [await hub.subscribe(channel) for _ in range(SUBSCRIBERS)]
    raw = json.dumps(_event(generation_id, 0.5))
    redis = Redis.from_url(servers.redis_url)
    try:
        await redis.publish(channel, raw)
    finally:
        await redis.aclose()
    got = [m for m in await asyncio.gather(*(s.get(5) for s in subscribers)) if isinstance(m, Message)]
    assert len(got) == SUBSCRIBERS
    first = got[0]
    assert all(m is first for m in got)  # decoded once, the same object for all 300

    frames = {id(frame(m)) for m in got}
    assert len(frames) == 1  # one SSE frame object written to every stream
    key = event_key(first.data)
    assert frame(first) == f"id: {key}\r\ndata: {raw}\r\n\r\n".encode()
    assert message_key(first) == key
    objects = {id(graphql_event(m)) for m in got}
    assert len(objects) == 1  # one GraphQL object per event for every subscription
    assert graphql_event(first).progress == 0.5
    for subscriber in subscribers:
        await subscriber.close()


def test_a_derived_value_is_built_once_per_message() -> None:
    message = Message({"n": 1}, '{"n": 1}')
    built: list[int] = []

    def build(m: Message) -> int:
        built.append(1)
        return int(m.data["n"]) + 1

    assert [message.derive("plus", build) for _ in range(5)] == [2] * 5
    assert built == [1]
    assert Message({"n": 1}, '{"n": 1}') == message  # the memo is not part of the event's identity
