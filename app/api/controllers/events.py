"""Server-Sent Events: live progress of one generation, or of everything on a board.

Streams join the process's pub/sub hub (one Redis connection for every client) before the snapshot is
read, so no event between the two is lost; events are delivered as soon as a worker publishes them (no
polling), keep-alive comments flow every 15 s, and a generation stream closes after its terminal state (a reconnect
that already has it gets 204, which ends a standard EventSource; HTML Living Standard §9.2).
When the hub reports a gap (Redis restarted, or this client fell behind), a generation stream re-reads
its state from the database; a board stream sends `event: resync` so the client reloads the board.
Access is checked against the board.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter
from litestar.response import ServerSentEventMessage
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.live_sse import SSE, Fast, LiveStream, LiveWriter
from app.platform.events import (
    KEEPALIVE_S,
    GenerationFollower,
    board_channel,
    event_key,
    follow_generation,
    generation_channel,
    is_terminal,
    message_key,
    progress_event,
)
from app.platform.pubsub import Gap, Message, PubSubHub, Subscriber
from app.wiring import Services

KEEP_ALIVE = ServerSentEventMessage(comment="keep-alive", data=None).encode()
RETRY_MS = 3000  # `retry:` on the first message: how long an EventSource waits before reconnecting
OK = "Request fulfilled, document follows"  # the 200's description in the published OpenAPI document


def frame(message: Message) -> bytes:
    """A live event's SSE frame, encoded once per event and written to every stream that forwards it."""
    return message.derive("sse", _encode)


def _encode(message: Message) -> bytes:
    # Published JSON is one line (json.dumps escapes newlines), so the raw text is the data line as is.
    return ServerSentEventMessage(data=message.raw, id=message_key(message)).encode()


def sse(subscriber: Subscriber, frames: AsyncIterator[bytes], fast: Fast) -> LiveStream:
    """The stream's own frames as they come, and live events written by the hub directly (`fast`)."""
    return LiveStream(LiveWriter(subscriber, frames, fast, keepalive=KEEP_ALIVE))


def generation_writer(
    subscriber: Subscriber,
    snapshot: dict[str, Any],
    first: bytes,
    reread: Callable[[], Awaitable[dict[str, Any]]],
) -> LiveWriter:
    """One generation's stream: `first`, then its events after `snapshot` until the terminal one. Live
    events pass the same GenerationFollower whether the hub writes them or the stream's loop does."""
    follower = GenerationFollower(snapshot)

    async def stream() -> AsyncIterator[bytes]:
        yield first
        async for event in follow_generation(subscriber, snapshot, reread, follower=follower):
            yield KEEP_ALIVE if event is None else frame(event)

    def live(event: Message) -> bytes | None:
        """A live event in the hub's loop: the terminal one ends the stream, so the stream's loop takes it."""
        if is_terminal(event.data):
            return None
        return frame(event) if follower.accept(event) else b""

    return LiveWriter(subscriber, stream(), live, keepalive=KEEP_ALIVE)


class EventController(Controller):
    path = "/api/sse"
    tags = ["Events"]

    @get(
        "/generations/{generation_id:uuid}/progress",
        operation_id="StreamGenerationProgress",
        media_type=SSE,
        response_description=OK,
    )
    async def generation_progress(
        self,
        state: State,
        services: NamedDependency[Services],
        db_session: NamedDependency[AsyncSession],
        generation_id: FromPath[UUID],
        last_event_id: Annotated[str | None, HeaderParameter(name="last-event-id")] = None,
    ) -> LiveStream | Response[None]:
        """data: {job_id, jobId, status, progress (0..1), phase, message, artifacts, timestamp}; `status` is
        the lowercase Boards wire value of GenerationStatus. The stream ends after the terminal event; a
        reconnect with that event's id as Last-Event-ID answers 204 (a standard EventSource then stops)."""
        await services.generations.get(generation_id)  # READ on the board, before anything streams
        hub: PubSubHub = state.pubsub
        subscriber = await hub.subscribe(generation_channel(generation_id))
        try:  # the snapshot uses the request's session, so it is read here, not once the response has started
            snapshot = progress_event(await services.generations.get(generation_id))
        except BaseException:
            await subscriber.close()
            raise
        if is_terminal(snapshot) and last_event_id == event_key(snapshot):
            await subscriber.close()  # the client has the final event: 204 stops an EventSource (HTML §9.2)
            return Response(None, status_code=204)

        async def reread() -> dict[str, Any]:
            """After a gap: the state from the database (the session is released again at once)."""
            try:
                return progress_event(await services.generations.get(generation_id))
            finally:
                await db_session.close()

        if last_event_id != event_key(snapshot):
            first = ServerSentEventMessage(data=json.dumps(snapshot), id=event_key(snapshot), retry=RETRY_MS)
        else:  # a resumed stream: nothing new yet, but the client learns the retry interval
            first = ServerSentEventMessage(comment="resumed", data=None, retry=RETRY_MS)
        return LiveStream(generation_writer(subscriber, snapshot, first.encode(), reread))

    @get(
        "/boards/{board_id:uuid}/generations",
        operation_id="StreamBoardGenerations",
        media_type=SSE,
        response_description=OK,
    )
    async def board_generations(
        self, state: State, services: NamedDependency[Services], board_id: FromPath[UUID]
    ) -> LiveStream:
        """Every generation event of a board until the client disconnects; `event: resync` after a gap."""
        await services.boards.get(board_id)
        hub: PubSubHub = state.pubsub
        subscriber = await hub.subscribe(board_channel(board_id))

        async def stream() -> AsyncIterator[bytes]:
            yield ServerSentEventMessage(comment="subscribed", data=None, retry=RETRY_MS).encode()
            async for item in subscriber.messages(KEEPALIVE_S):
                if item is None:
                    yield KEEP_ALIVE
                elif isinstance(item, Gap):
                    data = json.dumps({"reason": item.reason})
                    yield ServerSentEventMessage(event="resync", data=data).encode()
                else:
                    yield frame(item)

        return sse(subscriber, stream(), frame)
