"""Receiving a verified provider webhook (the signature was checked by the adapter that took the request).

The webhook does not finish the generation itself: it is recorded once (provider, delivery id), matched to
its generation through the external job id, and relayed after commit to the worker running that generation,
whose generator then finishes it through the worker's one path (conditional transitions: a webhook and a
poll cannot both apply, and nothing overwrites a cancellation). A generation with no live worker is
finished by its retry, which resumes the same provider job.
"""

from __future__ import annotations

from typing import Literal

from app.domain.webhooks.ports import WebhookDelivery, WebhookRelay, WebhookStore

Outcome = Literal["delivered", "duplicate", "unmatched", "ignored"]


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
