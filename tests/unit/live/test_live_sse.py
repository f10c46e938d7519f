"""The hub writes a live event to an idle SSE stream directly (app/api/live_sse.py), and a stream whose client
is behind, a gap or the terminal event falls back to the stream's own loop without losing order or state.

The ASGI `send` here is a recording stand-in for the server's (it can be made to wait, like a server whose
client stopped reading); the hub is never started: the tests call `Subscriber.offer` as its fan-out loop does.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.controllers.events import KEEP_ALIVE, frame, generation_writer
from app.api.live_sse import LiveWriter
from app.platform.events import event_key
from app.platform.pubsub import Gap, Message, PubSubHub, Subscriber

FIRST = b"retry: 3000\r\ndata: {}\r\n\r\n"


class Send:
    """The server's send: records bodies; while `gate` is closed a write waits (a client that is behind)."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.ends = 0  # end-of-response messages
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, message: Any) -> None:
        if not self.gate.is_set():
            await self.gate.wait()
        if message["more_body"]:
            self.bodies.append(message["body"])
        else:
            self.ends += 1


def _state(progress: float, status: str = "processing") -> dict[str, Any]:
    return {"job_id": "g", "status": status, "progress": progress}


def _message(progress: float, status: str = "processing") -> Message:
    data = _state(progress, status)
    return Message(data, json.dumps(data))


def _subscriber() -> Subscriber:
    return Subscriber(PubSubHub("redis://127.0.0.1:1/0"), "atelier:generation:g", maxsize=64)


async def _parked(subscriber: Subscriber) -> None:
    """Let the stream's loop run until it waits for its next item."""
    for _ in range(50):
        await asyncio.sleep(0)
    assert subscriber.direct is not None


async def _no_reread() -> dict[str, Any]:
    raise AssertionError("no database read expected")


def _start(send: Send, snapshot: dict[str, Any] | None = None) -> tuple[Subscriber, asyncio.Task[None]]:
    subscriber = _subscriber()
    writer = generation_writer(subscriber, snapshot or _state(0.0), FIRST, _no_reread)
    return subscriber, asyncio.create_task(writer.run(send))


async def test_the_hub_writes_an_idle_streams_event_itself_without_waking_the_stream() -> None:
    send = Send()
    subscriber, task = _start(send)
    await _parked(subscriber)
    event = _message(0.5)
    subscriber.offer(event)  # what the hub's fan-out loop does: no await between offer and the write
    assert send.bodies == [FIRST, frame(event)]
    subscriber.offer(_message(0.5))  # the same state again: skipped, nothing written
    assert send.bodies == [FIRST, frame(event)]
    task.cancel()


async def test_a_live_event_never_overtakes_frames_the_stream_holds_unwritten() -> None:
    """Seen in the suite: the snapshot's state was queued again before the stream started (a publish racing
    the snapshot). The loop held its first frame to write with what was queued, skipped the repeat, and waited
    with the frame unwritten; the hub then wrote later events directly, ahead of the first frame."""
    send = Send()
    subscriber = _subscriber()
    subscriber.offer(_message(0.0))  # the snapshot's own state, queued before the stream runs
    writer = generation_writer(subscriber, _state(0.0), FIRST, _no_reread)
    task = asyncio.create_task(writer.run(send))
    await _parked(subscriber)
    subscriber.offer(event := _message(0.3))
    await _parked(subscriber)
    assert send.bodies and send.bodies[0].startswith(FIRST)
    assert b"".join(send.bodies) == FIRST + frame(event)
    task.cancel()


async def test_a_client_that_is_behind_gets_its_later_events_in_order_once_it_reads_again() -> None:
    send = Send()
    subscriber, task = _start(send)
    await _parked(subscriber)
    send.gate.clear()  # the client stops reading: the next write cannot complete
    events = [_message(p) for p in (0.1, 0.2, 0.3)]
    for event in events:
        subscriber.offer(event)
    await asyncio.sleep(0.01)
    assert send.bodies == [FIRST]
    send.gate.set()
    done = _message(1.0, "completed")
    subscriber.offer(done)
    await asyncio.wait_for(task, 5)
    assert b"".join(send.bodies) == b"".join([FIRST, *(frame(e) for e in events), frame(done)])
    assert send.ends == 1
    # the first event's write waited for the client; the two queued behind it went out in ONE write
    assert send.bodies[:3] == [FIRST, frame(events[0]), frame(events[1]) + frame(events[2])]


async def test_the_terminal_event_ends_the_response_through_the_streams_own_loop() -> None:
    send = Send()
    subscriber, task = _start(send)
    await _parked(subscriber)
    subscriber.offer(_message(0.5))
    done = _message(1.0, "completed")
    subscriber.offer(done)
    assert send.ends == 0  # not written in the hub's loop: the stream ends the response itself
    await asyncio.wait_for(task, 5)
    assert send.bodies[-1] == frame(done) and send.ends == 1
    assert subscriber.direct is None


async def test_a_reconnect_gap_rereads_the_state_on_the_streams_loop() -> None:
    send = Send()
    subscriber = _subscriber()
    fresh = _state(0.7)

    async def reread() -> dict[str, Any]:
        return fresh

    task = asyncio.create_task(generation_writer(subscriber, _state(0.0), FIRST, reread).run(send))
    await _parked(subscriber)
    subscriber.offer(Gap("reconnected"))
    await _parked(subscriber)
    assert send.bodies[-1].endswith(f"data: {json.dumps(fresh)}\r\n\r\n".encode())
    assert event_key(fresh).encode() in send.bodies[-1]
    subscriber.offer(_message(0.6))  # older than what the re-read sent: skipped
    subscriber.offer(later := _message(0.8))
    assert send.bodies[-1] == frame(later)
    task.cancel()


async def test_a_keep_alive_is_sent_only_when_the_hub_wrote_nothing_since_the_last_one() -> None:
    send = Send()
    subscriber = _subscriber()

    async def frames() -> Any:
        yield FIRST
        async for item in subscriber.messages(0.05):
            yield KEEP_ALIVE if item is None else frame(item)  # type: ignore[arg-type]

    writer = LiveWriter(subscriber, frames(), frame, keepalive=KEEP_ALIVE)
    task = asyncio.create_task(writer.run(send))
    await asyncio.sleep(0.12)
    assert KEEP_ALIVE in send.bodies  # idle: keep-alives flow
    for n in range(6):
        before = send.bodies.count(KEEP_ALIVE)
        subscriber.offer(_message(n / 10))
        await asyncio.sleep(0.03)
    assert send.bodies.count(KEEP_ALIVE) <= before + 1  # busy: at most the one already due
    task.cancel()


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["event", "slow", "fast"]), st.integers(0, 10), st.booleans()), max_size=30
    )
)
def test_whatever_the_client_does_the_stream_is_the_follow_rule_in_order(
    steps: list[tuple[str, int, bool]],
) -> None:
    """Events offered while the client alternates between reading and not: the bodies written are exactly
    the states that advance (status, then progress) over the last one sent, in order, each once."""

    async def scenario() -> None:
        send = Send()
        subscriber, task = _start(send)
        await _parked(subscriber)
        expected, last = [], (1, 0.0)
        for kind, tenth, settle in steps:
            if kind == "slow":
                send.gate.clear()
            elif kind == "fast":
                send.gate.set()
            else:
                event = _message(tenth / 10)
                subscriber.offer(event)
                if (1, tenth / 10) > last:
                    expected.append(frame(event))
                    last = (1, tenth / 10)
            if settle:
                await asyncio.sleep(0)
        send.gate.set()
        subscriber.offer(done := _message(1.0, "completed"))
        await asyncio.wait_for(task, 5)
        assert b"".join(send.bodies) == b"".join([FIRST, *expected, frame(done)])

    asyncio.run(scenario())


async def test_a_client_that_stopped_reading_holds_one_pending_write_and_a_bounded_queue() -> None:
    """The hub never piles up writes for a stuck client: one write waits, later events queue (and a full
    queue collapses to the newest state), so memory per stuck stream is bounded."""
    send = Send()
    subscriber, task = _start(send)
    await _parked(subscriber)
    send.gate.clear()
    tasks_before = len(asyncio.all_tasks())
    events = [_message(n / 1000) for n in range(1, 201)]
    for event in events:
        subscriber.offer(event)
    await asyncio.sleep(0.01)
    assert len(asyncio.all_tasks()) <= tasks_before + 1  # the one write that waits for the client
    send.gate.set()
    subscriber.offer(done := _message(1.0, "completed"))
    await asyncio.wait_for(task, 5)
    assert send.bodies[:2] == [FIRST, frame(events[0])]
    written = b"".join(send.bodies[2:])
    assert written.endswith(frame(done))
    assert written.count(b"data: ") < 66  # the backlog beyond the queue's 64 was dropped, not written


async def test_a_server_whose_send_is_not_a_coroutine_still_gets_every_event_in_order() -> None:
    """Some ASGI servers return another awaitable from send: each direct write is then finished in a task."""
    recorder = Send()

    def send(message: Any) -> asyncio.Future[None]:
        return asyncio.ensure_future(recorder(message))

    subscriber = _subscriber()
    writer = generation_writer(subscriber, _state(0.0), FIRST, _no_reread)
    task = asyncio.create_task(writer.run(send))
    await _parked(subscriber)
    events = [_message(p) for p in (0.1, 0.2, 0.3)]
    for event in events:
        subscriber.offer(event)
        await asyncio.sleep(0)
    subscriber.offer(done := _message(1.0, "completed"))
    await asyncio.wait_for(task, 5)
    assert b"".join(recorder.bodies) == b"".join([FIRST, *(frame(e) for e in events), frame(done)])
