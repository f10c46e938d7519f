"""webhook_events: provider deliveries, recorded once per (provider, event id). Not tenant-scoped on arrival
(a webhook is authenticated by its signature, not by a tenant); the tenant is filled in on matching."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import WebhookEvent
from app.db.stores._scoped import table_of
from app.db.stores.generations import generations
from app.domain.webhooks import MatchedGeneration, WebhookDelivery

events = table_of(WebhookEvent)


class SqlWebhookStore:
    """Implements app.domain.webhooks.WebhookStore."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, delivery: WebhookDelivery) -> UUID | None:
        stmt = (
            pg_insert(events)
            .values(
                provider=delivery.provider, event_id=delivery.delivery_id[:255],
                event_type=delivery.event_type, payload=delivery.payload,
            )
            .on_conflict_do_nothing(constraint="uq_webhook_events_provider_event")
            .returning(events.c.id)
        )  # fmt: skip
        event_id: UUID | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return event_id

    async def match(self, external_id: str) -> MatchedGeneration | None:
        """The generation running that provider job, in any tenant (ix_generations_external_job_id)."""
        stmt = (
            select(generations.c.id, generations.c.tenant_id, generations.c.status)
            .where(generations.c.external_job_id == external_id)
            .limit(1)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        if row is None:
            return None
        status: Any = row.status
        return MatchedGeneration(row.id, row.tenant_id, str(getattr(status, "value", status)))

    async def mark(
        self, event_id: UUID, generation: MatchedGeneration | None, *, processed: bool, error: str | None
    ) -> None:
        values: dict[str, Any] = {"error_message": error[:2000] if error else None}
        if generation is not None:
            values |= {"tenant_id": generation.tenant_id, "generation_id": generation.generation_id}
        if processed:
            values["processed_at"] = func.now()
        await self.session.execute(update(events).where(events.c.id == event_id).values(**values))
