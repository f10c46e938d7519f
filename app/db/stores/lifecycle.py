"""A generation's life on a worker. Every transition is a conditional UPDATE, so a late result can never
overwrite a cancellation (the row left `processing`, the update matches nothing)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update

from app.contracts import Generation
from app.db.stores._scoped import TenantScoped
from app.db.stores.credits import settle
from app.db.stores.generations import GENERATION_SELECT, UrlSigner, generations, to_generation


class SqlLifecycle(TenantScoped):
    def __init__(self, session: Any, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._urls = urls

    async def _transition(self, generation_id: UUID, allowed: list[str], **values: Any) -> Generation | None:
        stmt = (
            update(generations)
            .where(
                self.scope(generations), generations.c.id == generation_id, generations.c.status.in_(allowed)
            )
            .values(**values, updated_at=func.now())
            .returning(*GENERATION_SELECT)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else to_generation(row, self._urls)

    async def claim(self, generation_id: UUID) -> Generation | None:
        """pending (or processing, when a crashed attempt is retried) → processing; None if it is over."""
        return await self._transition(
            generation_id, ["pending", "processing"],
            status="processing", phase="initializing", status_message="started", attempt=generations.c.attempt + 1,
            started_at=func.coalesce(generations.c.started_at, func.now()), heartbeat_at=func.now(),
        )  # fmt: skip

    async def progress(
        self, generation_id: UUID, fraction: float, phase: str, message: str | None
    ) -> Generation | None:
        value = min(max(fraction, 0.0), 0.99)  # 1.0 belongs to `completed`
        return await self._transition(
            generation_id, ["processing"],
            progress=func.greatest(generations.c.progress, value), phase=phase, status_message=message,
            heartbeat_at=func.now(),
        )  # fmt: skip

    async def complete(
        self,
        generation_id: UUID,
        *,
        storage_key: str | None,
        content_type: str | None,
        metadata: dict[str, Any],
        thumbnail_key: str | None = None,
        additional: list[dict[str, Any]] | None = None,
    ) -> Generation | None:
        output = {**metadata, **({"content_type": content_type} if content_type else {})}
        done = await self._transition(
            generation_id, ["processing"],
            status="completed", progress=1.0, phase="finalizing", status_message="completed", completed_at=func.now(),
            storage_key=storage_key, thumbnail_key=thumbnail_key, additional_files=additional or [],
            output_metadata=output,
        )  # fmt: skip
        if done is not None:
            await settle(self.session, self.tenant_id, generation_id, "capture", "generation completed")
        return done

    async def fail(self, generation_id: UUID, reason: str) -> Generation | None:
        failed = await self._transition(
            generation_id, ["processing", "pending"],
            status="failed", error_message=reason[:2000], completed_at=func.now(), status_message=reason[:500],
        )  # fmt: skip
        if failed is not None:
            await settle(self.session, self.tenant_id, generation_id, "refund", "generation failed")
        return failed

    async def requeue(self, generation_id: UUID, reason: str) -> Generation | None:
        """A transient failure: back to pending (the queue retries it with backoff)."""
        return await self._transition(
            generation_id, ["processing"], status="pending", phase="queued", status_message=reason[:500]
        )

    async def touch(self, generation_id: UUID) -> None:
        await self._transition(generation_id, ["processing"], heartbeat_at=func.now())

    async def set_external_job_id(self, generation_id: UUID, job_id: str) -> None:
        await self._transition(generation_id, ["processing"], external_job_id=job_id)

    async def storage_key_of(self, generation_id: UUID) -> str | None:
        """The stored artifact of a generation of this tenant (lineage inputs)."""
        stmt = select(generations.c.storage_key).where(
            self.scope(generations), generations.c.id == generation_id
        )
        key: str | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return key

    async def status(self, generation_id: UUID) -> str | None:
        stmt = select(generations.c.status).where(self.scope(generations), generations.c.id == generation_id)
        value = (await self.session.execute(stmt)).scalar_one_or_none()
        return None if value is None else str(getattr(value, "value", value))
