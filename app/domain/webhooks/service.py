"""Receiving a verified provider webhook (the signature was checked by the adapter that took the request).

The webhook does not finish the generation itself: it is recorded once (provider, delivery id), matched to
its generation through the external job id, and relayed after commit to the worker running that generation,
whose generator then finishes it through the worker's one path (conditional transitions: a webhook and a
poll cannot both apply, and nothing overwrites a cancellation). A generation with no live worker is
finished by its retry, which resumes the same provider job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol
from uuid import UUID

Outcome = Literal["delivered", "duplicate", "unmatched", "ignored"]


@dataclass(frozen=True)
class WebhookDelivery:
    provider: str
    delivery_id: str
    external_id: str
    event_type: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class MatchedGeneration:
    generation_id: UUID
    tenant_id: UUID
    status: str


class WebhookStore(Protocol):
    async def record(self, delivery: WebhookDelivery) -> UUID | None:
        """The new event's id; None when this (provider, delivery id) was recorded before."""
        ...

    async def match(self, external_id: str) -> MatchedGeneration | None: ...

    async def mark(
        self, event_id: UUID, generation: MatchedGeneration | None, *, processed: bool, error: str | None
    ) -> None: ...


class WebhookRelay(Protocol):
    def relay_after_commit(self, generation_id: UUID, payload: dict[str, Any]) -> None:
        """Pass the payload to the worker running the generation, once the event row is committed."""
        ...


class WebhookService:
    def __init__(self, store: WebhookStore, relay: WebhookRelay) -> None:
        self._store = store
        self._relay = relay

    async def receive(self, delivery: WebhookDelivery) -> Outcome:
        event_id = await self._store.record(delivery)
        if event_id is None:
            return "duplicate"  # a redelivery: acknowledged, never processed twice
        generation = await self._store.match(delivery.external_id)
        if generation is None:
            error = f"no generation has external job id {delivery.external_id!r}"
            await self._store.mark(event_id, None, processed=False, error=error)
            return "unmatched"
        if generation.status != "processing":
            error = f"the generation is {generation.status}; the event changes nothing"
            await self._store.mark(event_id, generation, processed=True, error=error)
            return "ignored"
        await self._store.mark(event_id, generation, processed=True, error=None)
        self._relay.relay_after_commit(generation.generation_id, delivery.payload)
        return "delivered"
