"""One Redis pub/sub connection per API process, fanned out to every local SSE and GraphQL subscriber.

- Channels are subscribed on Redis while at least one local subscriber wants them (reference counts), and
  `subscribe()` returns only once Redis has confirmed the subscription, so a snapshot read afterwards
  cannot miss an event published in between.
- Each subscriber has a bounded queue. The reader never waits for a subscriber: when a queue is full its
  backlog is dropped (drop-oldest) and replaced by one `Gap("overflow")`. A slow client therefore costs
  only itself, and since every event carries a generation's whole state, the consumer re-reads the
  snapshot from the database on a Gap and loses no state.
- When the connection drops (Redis restarted), the reader reconnects with backoff, resubscribes every
  channel, and once Redis confirms a channel again, gives its subscribers a `Gap("reconnected")`: events
  published while it was away are gone, so they re-read the snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from app.platform.logging import get_logger

log = get_logger("atelier.pubsub")
CLIENT_NAME = "atelier-pubsub"
QUEUE_SIZE = 64
ACK_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 1.0
BACKOFF_S = (0.05, 0.1, 0.25, 0.5, 1.0)
OVERFLOW = "overflow"  # a Gap for a full queue: the newest event always follows it


T = TypeVar("T")


@dataclass(frozen=True)
class Message:
    """One published event: the decoded dict and the raw JSON text (SSE forwards it without re-encoding).

    The same Message goes to every local subscriber, so whatever a stream derives from it (its SSE frame,
    its GraphQL object) is built once per event with `derive` and shared: per-event work does not grow with
    the number of subscribers (encode once, write many)."""

    data: dict[str, Any]
    raw: str
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def derive(self, name: str, build: Callable[[Message], T]) -> T:
        """`build(self)`, computed by the first subscriber that asks and reused by all the others."""
        try:
            value: T = self.memo[name]
        except KeyError:
            value = self.memo[name] = build(self)
        return value


@dataclass(frozen=True)
class Gap:
    """Events may have been missed here ("overflow" or "reconnected"): re-read the state from the database."""

    reason: str


class Subscriber:
    """One local consumer of one channel (what a stream holds; `close()` releases it)."""

    def __init__(self, hub: PubSubHub, channel: str, maxsize: int) -> None:
        self.hub = hub
        self.channel = channel
        self.dropped = 0
        # A deque and one waiter instead of an asyncio.Queue: a delivery is an append and, when the stream
        # is waiting, one set_result (fewer allocations per event × subscriber; 10,000s of streams).
        self._items: deque[Message | Gap] = deque()
        self._maxsize = maxsize
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        # Set by a consumer that can take a live event synchronously, inside the hub's fan-out loop (an SSE
        # stream writes its frame there): True = taken, False = queue it as usual.
        self.direct: Callable[[Message], bool] | None = None

    def offer(self, item: Message | Gap) -> None:
        """Never blocks. While the consumer waits for its next item with nothing queued, a Message goes to
        its `direct` hook first (no wake-up of its task, no queue; order is kept because nothing is pending).
        On a full queue the backlog collapses into one Gap (the oldest events go); a Gap also supersedes
        whatever is queued before it (the snapshot read after it covers those)."""
        items = self._items
        direct = self.direct
        if direct is not None and self._waiter is not None and not items and type(item) is Message:
            try:
                if direct(item):
                    return
            except Exception:  # a broken consumer must not stop the fan-out: it gets the event queued
                log.exception("direct delivery failed", channel=self.channel)
        gap = isinstance(item, Gap)
        if gap or len(items) >= self._maxsize:
            self.dropped += sum(isinstance(queued, Message) for queued in items)
            items.clear()
            if not gap:
                items.append(Gap(OVERFLOW))
        items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def pending(self) -> int:
        """Items queued and not taken yet (a consumer that is behind can write them together)."""
        return len(self._items)

    async def get(self, wait_s: float | None = None) -> Message | Gap | None:
        """The next item, or None after `wait_s` seconds of silence."""
        if self._items:
            return self._items.popleft()
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = None if wait_s is None else loop.call_later(wait_s, _wake, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
        return self._items.popleft() if self._items else None

    async def messages(self, keepalive_s: float) -> AsyncIterator[Message | Gap | None]:
        """Items as they come; None after keepalive_s of silence (time for a keep-alive)."""
        while True:
            yield await self.get(keepalive_s)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.hub.release(self)


class PubSubHub:
    """The multiplexer. `start()` never fails on a missing Redis: the reader keeps trying in the background."""

    def __init__(self, redis_url: str, *, queue_size: int = QUEUE_SIZE, name: str = CLIENT_NAME) -> None:
        """`name` is the connection's CLIENT SETNAME (CLIENT LIST shows one such connection per process)."""
        self._redis = Redis.from_url(redis_url, retry=Retry(NoBackoff(), 0), client_name=name)
        self._queue_size = queue_size
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._acks: dict[str, asyncio.Event] = {}
        self._resync: set[str] = set()
        self._pubsub: Any = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.reconnects = 0

    @property
    def channels(self) -> list[str]:
        return list(self._subscribers)

    @property
    def subscriber_count(self) -> int:
        """Open local streams (SSE and GraphQL subscriptions) on this process (a metrics gauge)."""
        return sum(len(members) for members in self._subscribers.values())

    async def start(self, wait_s: float = 2.0) -> None:
        """Start the reader; wait up to wait_s for the first connection (not longer: Redis may be down)."""
        self._task = asyncio.create_task(self._run(), name="pubsub-hub")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), wait_s)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close_pubsub()
        await self._redis.aclose()

    async def subscribe(self, channel: str) -> Subscriber:
        """Join a channel; returns once Redis confirmed it (or after ACK_TIMEOUT_S while Redis is down: the
        subscriber then gets a Gap when the connection is back)."""
        subscriber = Subscriber(self, channel, self._queue_size)
        members = self._subscribers.setdefault(channel, set())
        members.add(subscriber)
        if len(members) == 1:
            self._acks[channel] = asyncio.Event()
            await self._send("subscribe", channel)
        ack = self._acks.get(channel)
        if ack is not None and self._connected.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ack.wait(), ACK_TIMEOUT_S)
        return subscriber

    async def release(self, subscriber: Subscriber) -> None:
        members = self._subscribers.get(subscriber.channel)
        if members is None:
            return
        members.discard(subscriber)
        if not members:
            del self._subscribers[subscriber.channel]
            self._acks.pop(subscriber.channel, None)
            await self._send("unsubscribe", subscriber.channel)

    async def _send(self, command: str, channel: str) -> None:
        """Send (un)subscribe on the live connection; while disconnected the reader resubscribes later."""
        if self._pubsub is None or not self._connected.is_set():
            return
        try:
            await getattr(self._pubsub, command)(channel)
        except Exception as error:  # the reader sees the same failure and reconnects
            log.warning("pubsub command failed", command=command, channel=channel, error=str(error))

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._connect()
                failures = 0
                await self._read_until_error()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._connected.clear()
                await self._close_pubsub()
                delay = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
                if failures == 0:
                    log.warning("pubsub connection lost; reconnecting", error=str(error))
                failures += 1
                await asyncio.sleep(delay)

    async def _connect(self) -> None:
        pubsub = self._redis.pubsub()
        await pubsub.ping()  # opens the connection (raises while Redis is down)
        self._pubsub = pubsub
        channels = list(self._subscribers)
        self._resync.update(channels)  # subscribed while disconnected: they may have missed events
        for channel in channels:
            self._acks.setdefault(channel, asyncio.Event())
        if channels:
            await pubsub.subscribe(*channels)
        self._connected.set()
        if self.reconnects:
            log.info("pubsub reconnected", channels=len(channels))
        self.reconnects += 1

    async def _read_until_error(self) -> None:
        while True:
            message = await self._pubsub.get_message(timeout=READ_TIMEOUT_S)
            if message is None:
                continue
            kind = message["type"]
            channel = _text(message.get("channel"))
            if kind == "message":
                self._fan_out(channel, _text(message["data"]))
            elif kind == "subscribe":
                self._confirmed(channel)

    def _confirmed(self, channel: str) -> None:
        ack = self._acks.get(channel)
        if ack is not None:
            ack.set()
        if channel in self._resync:
            self._resync.discard(channel)
            for subscriber in list(self._subscribers.get(channel, ())):
                subscriber.offer(Gap("reconnected"))

    def _fan_out(self, channel: str, raw: str) -> None:
        members = self._subscribers.get(channel)
        if not members:
            return
        try:
            data = json.loads(raw)
        except ValueError:
            log.warning("undecodable event dropped", channel=channel)
            return
        message = Message(data, raw)
        for subscriber in list(members):
            subscriber.offer(message)

    async def _close_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()


class Follower:
    """Keeps a process-wide cache in step with one channel: `on_message(data)` for each event, `on_gap()` when
    events may have been missed (the cache then reloads or forgets). The ended sessions and the identity
    caches follow other processes this way (app.auth.revocations, app.auth.authenticator)."""

    def __init__(
        self,
        channel: str,
        on_message: Callable[[dict[str, Any]], None],
        on_gap: Callable[[], Awaitable[None]],
    ) -> None:
        self.channel = channel
        self._on_message, self._on_gap = on_message, on_gap
        self._task: asyncio.Task[None] | None = None

    async def start(self, hub: PubSubHub) -> bool:
        """Subscribe, then follow in the background; False when the hub refused (the cache stays local)."""
        try:
            subscriber = await hub.subscribe(self.channel)
        except Exception as error:
            log.warning("not following other processes", channel=self.channel, error=str(error))
            return False
        self._task = asyncio.create_task(self._follow(subscriber), name=f"follow:{self.channel}")
        return True

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self, subscriber: Subscriber) -> None:
        try:
            while True:
                item = await subscriber.get()
                if isinstance(item, Message):
                    self._on_message(item.data)
                elif isinstance(item, Gap):
                    await self._on_gap()
        finally:
            await subscriber.close()


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
