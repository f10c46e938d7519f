"""What the webhooks use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID


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
