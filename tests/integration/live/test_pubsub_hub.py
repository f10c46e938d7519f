"""The pub/sub hub: hundreds of local subscribers share ONE Redis connection, channels follow reference
counts, and a subscriber that does not read never delays the others."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from redis.asyncio import Redis

from app.platform.pubsub import CLIENT_NAME, Follower, Gap, Message, PubSubHub
from tests.conftest import Servers

HUB_NAME = f"{CLIENT_NAME}-{uuid4().hex[:6]}"


@pytest.fixture
async def redis(servers: Servers) -> AsyncIterator[Redis]:
    client = Redis.from_url(servers.redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def hub(servers: Servers) -> AsyncIterator[PubSubHub]:
    hub = PubSubHub(servers.redis_url, queue_size=8, name=HUB_NAME)  # apart from the app's own hub
    await hub.start()
    yield hub
    await hub.stop()


async def _hub_connections(redis: Redis) -> list[dict[str, object]]:
    return [c for c in await redis.client_list() if c.get("name") == HUB_NAME]


async def _numsub(redis: Redis, channel: str) -> int:
    return int(dict(await redis.pubsub_numsub(channel))[channel.encode()])


async def test_250_subscribers_share_one_connection(hub: PubSubHub, redis: Redis) -> None:
    tag = uuid4().hex[:8]
    hot = f"test:{tag}:hot"
    cold = [f"test:{tag}:{n}" for n in range(50)]
    subscribers = [await hub.subscribe(hot) for _ in range(200)]
    subscribers += [await hub.subscribe(channel) for channel in cold]

    connections = await _hub_connections(redis)
    assert len(connections) == 1, connections  # CLIENT LIST: one pub/sub connection for all 250
    assert int(str(connections[0]["sub"])) == 51  # each channel once on Redis, however many listen
    assert await _numsub(redis, hot) == 1

    await redis.publish(hot, json.dumps({"n": 1}))
    await redis.publish(cold[7], json.dumps({"n": 2}))
    got = await asyncio.gather(*(s.get(5) for s in subscribers[:200]))
    assert all(isinstance(m, Message) and m.data == {"n": 1} for m in got)
    lone = await subscribers[207].get(5)
    assert isinstance(lone, Message) and lone.data == {"n": 2}
    assert await subscribers[208].get(0.05) is None  # other channels hear nothing

    for subscriber in subscribers[:199]:
        await subscriber.close()
    assert await _numsub(redis, hot) == 1  # one listener left: still subscribed
    await subscribers[199].close()
    for subscriber in subscribers[200:]:
        await subscriber.close()
    await asyncio.sleep(0.1)
    assert await _numsub(redis, hot) == 0 and hub.channels == []


async def test_a_slow_subscriber_does_not_stall_a_fast_one(hub: PubSubHub, redis: Redis) -> None:
    channel = f"test:{uuid4().hex[:8]}:slow"
    slow = await hub.subscribe(channel)  # never reads while the burst is published
    fast = await hub.subscribe(channel)
    received: list[int] = []

    async def drain() -> None:
        while len(received) < 100:
            item = await fast.get(5)
            assert isinstance(item, Message), item
            received.append(item.data["n"])

    reader = asyncio.create_task(drain())
    started = time.monotonic()
    for n in range(100):
        await redis.publish(channel, json.dumps({"n": n}))
        await asyncio.sleep(0)  # let the fast reader keep up with its queue of 8
    await asyncio.wait_for(reader, 5)
    assert received == list(range(100))  # every event, in order
    assert time.monotonic() - started < 5

    backlog = [await slow.get(0.05) for _ in range(10)]
    assert backlog[0] == Gap("overflow")  # the slow one is told it fell behind (then re-reads the DB)
    latest = [item.data["n"] for item in backlog if isinstance(item, Message)]
    assert latest and latest[-1] == 99 and latest == sorted(latest)
    assert slow.dropped > 0
    await slow.close()
    await fast.close()


async def test_a_follower_applies_each_event_and_hears_of_a_reconnect(hub: PubSubHub, redis: Redis) -> None:
    """The one follower the process caches use (ended sessions, identity changes): events in order, a reload
    after the connection came back, and nothing followed once stopped."""
    channel = f"test:{uuid4().hex[:8]}:follow"
    seen: list[object] = []
    gaps = asyncio.Event()

    async def on_gap() -> None:
        seen.append("gap")
        gaps.set()

    follower = Follower(channel, seen.append, on_gap)
    assert await follower.start(hub)
    for n in range(3):
        await redis.publish(channel, json.dumps({"n": n}))
    for _ in range(100):
        if len(seen) == 3:
            break
        await asyncio.sleep(0.02)
    assert seen == [{"n": 0}, {"n": 1}, {"n": 2}]

    for connection in await _hub_connections(redis):  # Redis drops the hub's connection: it reconnects
        await redis.execute_command("CLIENT", "KILL", "ID", str(connection["id"]))
    await asyncio.wait_for(gaps.wait(), 10)
    assert seen[3:] == ["gap"]

    await follower.stop()
    await asyncio.sleep(0.1)
    assert channel not in hub.channels  # its subscriber was released
