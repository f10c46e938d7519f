"""Subscriber queues and the generation stream's rules, without servers: a full queue collapses into one
resync gap, a gap re-reads the state, and what a client sees never goes backwards and ends at the end."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.platform.events import follow_generation
from app.platform.pubsub import Gap, Message, PubSubHub, Subscriber

GID = "00000000-0000-0000-0000-000000000001"


def _event(status: str, progress: float) -> dict[str, Any]:
    return {"job_id": GID, "status": status, "progress": progress}


def _message(status: str, progress: float) -> Message:
    data = _event(status, progress)
    return Message(data, json.dumps(data))


def _subscriber(size: int = 64) -> Subscriber:
    return Subscriber(PubSubHub("redis://127.0.0.1:1/0"), "atelier:generation:x", size)  # never connects


async def _drain(subscriber: Subscriber, snapshot: dict[str, Any], fresh: dict[str, Any]) -> list[Any]:
    reads = []

    async def reread() -> dict[str, Any]:
        reads.append(fresh)
        return fresh

    seen = []
    async for event in follow_generation(subscriber, snapshot, reread, keepalive_s=0.001):
        if event is None:
            break  # silence: nothing more queued
        assert json.loads(event.raw) == event.data
        seen.append(event.data)
    return seen


async def test_a_full_queue_keeps_the_newest_behind_one_gap() -> None:
    subscriber = _subscriber(size=4)
    for n in range(10):
        subscriber.offer(_message("processing", n / 10))
    items = [await subscriber.get(0) for _ in range(4)]
    assert items[0] == Gap("overflow")
    assert [i.data["progress"] for i in items[1:] if isinstance(i, Message)] == [0.7, 0.8, 0.9]
    assert subscriber.dropped == 7
    assert await subscriber.get(0.01) is None


async def test_a_gap_rereads_and_late_events_are_skipped() -> None:
    subscriber = _subscriber()
    subscriber.offer(_message("processing", 0.1))  # older than the snapshot: skipped
    subscriber.offer(_message("processing", 0.3))
    subscriber.offer(Gap("reconnected"))  # supersedes nothing left; the state is re-read (0.6)
    subscriber.offer(_message("processing", 0.5))  # raced the re-read: skipped
    subscriber.offer(_message("completed", 1.0))
    subscriber.offer(_message("processing", 0.9))  # after the end: never read
    seen = await _drain(subscriber, _event("processing", 0.2), _event("processing", 0.6))
    assert [(e["status"], e["progress"]) for e in seen] == [("processing", 0.6), ("completed", 1.0)]


async def test_an_overflow_is_answered_from_the_newest_event_without_a_database_read() -> None:
    """A process that falls behind overflows every stream at once: none of them may query the database."""
    subscriber = _subscriber(size=3)
    for n in range(1, 8):
        subscriber.offer(_message("processing", n / 10))
    reads: list[dict[str, Any]] = []

    async def reread() -> dict[str, Any]:
        reads.append({})
        return _event("processing", 0.0)

    seen = []
    async for event in follow_generation(subscriber, _event("processing", 0.05), reread, keepalive_s=0.001):
        if event is None:
            break
        seen.append(event.data["progress"])
    assert reads == []
    assert seen == [0.6, 0.7]  # the newest survive the overflow, in order


async def test_a_gap_whose_reread_is_terminal_ends_the_stream() -> None:
    subscriber = _subscriber()
    subscriber.offer(Gap("reconnected"))
    seen = await _drain(subscriber, _event("processing", 0.2), _event("failed", 0.2))
    assert [e["status"] for e in seen] == ["failed"]


STATES = st.sampled_from(["pending", "processing", "processing", "completed", "failed"])
ITEMS = st.lists(
    st.one_of(
        st.tuples(STATES, st.floats(0, 1)).map(lambda t: _message(*t)),
        st.just(Gap("reconnected")),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(items=ITEMS, size=st.integers(2, 8), fresh=st.tuples(STATES, st.floats(0, 1)))
async def test_what_a_client_sees_never_goes_backwards(
    items: list[Message | Gap], size: int, fresh: tuple[str, float]
) -> None:
    subscriber = _subscriber(size)
    for item in items:
        subscriber.offer(item)
    snapshot = _event("pending", 0.0)
    seen = await _drain(subscriber, snapshot, _event(*fresh))
    rank = {"pending": 0, "processing": 1}
    order = [(rank.get(e["status"], 2), e["progress"]) for e in [snapshot, *seen]]
    assert order == sorted(order)
    terminal = [n for n, e in enumerate(seen) if e["status"] in {"completed", "failed"}]
    assert terminal in ([], [len(seen) - 1])  # at most one terminal state, and it is the last


async def test_the_snapshots_state_published_again_is_not_sent_twice() -> None:
    """The publish that races the snapshot read carries the same state: one id, one event (HTML SSE)."""
    subscriber = _subscriber()
    subscriber.offer(_message("processing", 0.2))  # the snapshot's state, published as the stream began
    subscriber.offer(_message("processing", 0.2))
    subscriber.offer(_message("processing", 0.4))
    subscriber.offer(_message("processing", 0.4))
    subscriber.offer(_message("completed", 1.0))
    seen = await _drain(subscriber, _event("processing", 0.2), _event("processing", 0.2))
    assert [(e["status"], e["progress"]) for e in seen] == [("processing", 0.4), ("completed", 1.0)]
