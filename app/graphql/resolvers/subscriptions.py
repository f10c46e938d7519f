"""GraphQL subscriptions (graphql-transport-ws): live generation progress, per generation or per board.

The access check uses a short session of its own and releases it: a subscription lives for minutes and must
not hold a database connection. Events come from the same Redis channels as the SSE streams.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from types import SimpleNamespace
from uuid import UUID

import msgspec
import strawberry

from app import contracts
from app.graphql._generated.types import GenerationProgressFields
from app.graphql.context import Info
from app.platform.events import Subscription, board_channel, generation_channel, progress_event

TERMINAL = {"completed", "failed", "cancelled"}


def _event(data: dict[str, object]) -> GenerationProgressFields:
    """An event dict (snake_case keys, as published) as the GraphQL type."""
    event = msgspec.convert(SimpleNamespace(**data), contracts.GenerationProgress, from_attributes=True)
    return GenerationProgressFields.from_contract(event)


@strawberry.type
class Subscriptions:
    @strawberry.subscription(
        description="Progress of one generation until it finishes (first the current state)."
    )
    async def generation_progress(
        self, info: Info, generation_id: UUID
    ) -> AsyncGenerator[GenerationProgressFields, None]:
        redis = info.context.redis
        subscription = await Subscription(redis, generation_channel(generation_id)).open()
        try:
            snapshot = await info.context.services.generations.get(generation_id)  # READ on the board
            await info.context.session.close()  # release the connection for the subscription's lifetime
            first = progress_event(snapshot)
            yield _event(first)
            if first["status"] in TERMINAL:
                return
            async for item in subscription.messages():
                if item is not None:
                    yield _event(item)
                    if item["status"] in TERMINAL:
                        return
        finally:
            await subscription.close()

    @strawberry.subscription(description="Every generation event on a board.")
    async def board_generations(
        self, info: Info, board_id: UUID
    ) -> AsyncGenerator[GenerationProgressFields, None]:
        subscription = await Subscription(info.context.redis, board_channel(board_id)).open()
        try:
            await info.context.services.boards.get(board_id)  # READ on the board
            await info.context.session.close()
            async for item in subscription.messages():
                if item is not None:
                    yield _event(item)
        finally:
            await subscription.close()
