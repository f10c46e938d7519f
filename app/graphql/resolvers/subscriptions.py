"""GraphQL subscriptions (graphql-transport-ws): live generation progress, per generation or per board.

The access check uses the request's session and releases it: a subscription lives for minutes and must
not hold a database connection (a re-read after a gap borrows one briefly). Events come from the process's
pub/sub hub, the same one the SSE streams use.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import msgspec
import strawberry

from app import contracts
from app.graphql._generated.types import GenerationProgressFields
from app.graphql.context import Info
from app.graphql.timeouts import bounded_step
from app.platform.events import (
    KEEPALIVE_S,
    board_channel,
    follow_generation,
    generation_channel,
    progress_event,
)
from app.platform.pubsub import Message


def _step_seconds(info: Info) -> float | None:
    """The operation timeout of the schema serving this subscription (None: unbounded)."""
    seconds: float | None = getattr(info.schema, "run_timeout_seconds", None)
    return seconds


def _event(data: dict[str, object]) -> GenerationProgressFields:
    """An event dict (snake_case keys, as published) as the GraphQL type."""
    event = msgspec.convert(SimpleNamespace(**data), contracts.GenerationProgress, from_attributes=True)
    return GenerationProgressFields.from_contract(event)


def _shared(message: Message) -> GenerationProgressFields:
    """A live event as the GraphQL type, converted once per event for every subscription on this process."""
    return message.derive("graphql", _converted)


def _converted(message: Message) -> GenerationProgressFields:
    return _event(message.data)


@strawberry.type
class Subscriptions:
    @strawberry.subscription(
        description="Progress of one generation until it finishes (first the current state)."
    )
    async def generation_progress(
        self, info: Info, generation_id: UUID
    ) -> AsyncGenerator[GenerationProgressFields, None]:
        context = info.context
        subscriber = await context.pubsub.subscribe(generation_channel(generation_id))

        async def read() -> dict[str, Any]:
            try:
                async with bounded_step(_step_seconds(info)):
                    return progress_event(await context.services.generations.get(generation_id))
            finally:
                await context.session.close()  # release the connection for the subscription's lifetime

        try:
            snapshot = await read()  # READ on the board
            yield _event(snapshot)
            async for event in follow_generation(subscriber, snapshot, read):
                if event is not None:
                    yield _shared(event)
        finally:
            await subscriber.close()

    @strawberry.subscription(description="Every generation event on a board.")
    async def board_generations(
        self, info: Info, board_id: UUID
    ) -> AsyncGenerator[GenerationProgressFields, None]:
        subscriber = await info.context.pubsub.subscribe(board_channel(board_id))
        try:
            async with bounded_step(_step_seconds(info)):
                await info.context.services.boards.get(board_id)  # READ on the board
            await info.context.session.close()
            async for item in subscriber.messages(KEEPALIVE_S):
                if isinstance(item, Message):  # a gap has no state to send here: the client re-queries
                    yield _shared(item)
        finally:
            await subscriber.close()
