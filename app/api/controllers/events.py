"""Server-Sent Events: live progress of one generation, or of everything on a board.

The stream subscribes to Redis first and reads the snapshot second, so no event between the two is lost;
events are delivered as soon as a worker publishes them (no polling), keep-alive comments flow every 15 s,
and a generation stream closes after its terminal state. Access is checked against the board.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from app.api.deps import BOARDS, GENERATIONS
from app.domain.boards import BoardService
from app.domain.generations import GenerationService
from app.platform.events import Subscription, board_channel, generation_channel, progress_event

TERMINAL = {"completed", "failed", "cancelled"}


class EventController(Controller):
    path = "/api/sse"
    tags = ["Events"]
    dependencies = {**GENERATIONS, **BOARDS}

    @get(
        "/generations/{generation_id:uuid}/progress",
        operation_id="StreamGenerationProgress",
        media_type="text/event-stream",
    )
    async def generation_progress(
        self,
        state: State,
        generations: NamedDependency[GenerationService],
        generation_id: FromPath[UUID],
        last_event_id: Annotated[str | None, HeaderParameter(name="last-event-id")] = None,
    ) -> ServerSentEvent:
        """data: {job_id, jobId, status, progress (0..1), phase, message, artifacts, timestamp}."""
        await generations.get(generation_id)  # READ on the board, before anything streams
        subscription = await Subscription(state.redis, generation_channel(generation_id)).open()
        try:  # the snapshot uses the request's session, so it is read here, not once the response has started
            snapshot = progress_event(await generations.get(generation_id))
        except BaseException:
            await subscription.close()
            raise

        async def stream() -> AsyncIterator[ServerSentEventMessage]:
            try:
                if last_event_id != _event_key(snapshot) or snapshot["status"] in TERMINAL:
                    yield ServerSentEventMessage(data=json.dumps(snapshot), id=_event_key(snapshot))
                if snapshot["status"] in TERMINAL:
                    return
                async for item in subscription.messages():
                    if item is None:
                        yield ServerSentEventMessage(comment="keep-alive", data=None)
                        continue
                    yield ServerSentEventMessage(data=json.dumps(item), id=_event_key(item))
                    if item["status"] in TERMINAL:
                        return
            finally:
                await subscription.close()

        return ServerSentEvent(stream(), headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    @get(
        "/boards/{board_id:uuid}/generations",
        operation_id="StreamBoardGenerations",
        media_type="text/event-stream",
    )
    async def board_generations(
        self, state: State, boards: NamedDependency[BoardService], board_id: FromPath[UUID]
    ) -> ServerSentEvent:
        """Every generation event of a board, until the client disconnects."""
        await boards.get(board_id)
        subscription = await Subscription(state.redis, board_channel(board_id)).open()

        async def stream() -> AsyncIterator[ServerSentEventMessage]:
            try:
                yield ServerSentEventMessage(comment="subscribed", data=None)
                async for item in subscription.messages():
                    if item is None:
                        yield ServerSentEventMessage(comment="keep-alive", data=None)
                    else:
                        yield ServerSentEventMessage(data=json.dumps(item), id=_event_key(item))
            finally:
                await subscription.close()

        return ServerSentEvent(stream(), headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _event_key(event: dict[str, Any]) -> str:
    """A resumable id: the same state gives the same id, so a reconnect with Last-Event-ID skips a repeat."""
    return f"{event['job_id']}:{event['status']}:{event['progress']:.4f}"
