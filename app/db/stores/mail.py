"""The mail outbox: rows written in the caller's unit of work, delivered by the drain job after commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import MailOutbox
from app.db.stores._scoped import TenantScoped, table_of

outbox = table_of(MailOutbox)
MAX_ATTEMPTS = 8


class SqlOutbox(TenantScoped):
    """Implements app.domain.accounts.Outbox; `committed` asks for a drain once the unit of work commits."""

    def __init__(self, session: AsyncSession, tenant_id: UUID, committed: Callable[[], None]) -> None:
        super().__init__(session, tenant_id)
        self._committed = committed

    async def send(self, *, to: str, subject: str, body: str) -> None:
        values = self.stamp({"to_address": to, "subject": subject[:300], "body": body})
        await self.session.execute(insert(outbox).values(values))
        self._committed()


@dataclass(frozen=True, slots=True)
class Mail:
    id: UUID
    to_address: str
    subject: str
    body: str
    attempts: int


async def take_due_mail(session: AsyncSession, *, limit: int = 50, min_age_s: float = 0.0) -> Sequence[Mail]:
    """Due, unsent mail at least `min_age_s` old, locked for this transaction (other drainers skip it)."""
    stmt = (
        select(outbox.c.id, outbox.c.to_address, outbox.c.subject, outbox.c.body, outbox.c.attempts)
        .where(
            outbox.c.sent_at.is_(None),
            outbox.c.next_attempt_at <= func.now(),
            outbox.c.attempts < MAX_ATTEMPTS,
            outbox.c.created_at <= func.now() - timedelta(seconds=min_age_s),
        )
        .order_by(outbox.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [
        Mail(row.id, str(row.to_address), row.subject, row.body, row.attempts)
        for row in await session.execute(stmt)
    ]


async def mark_sent(session: AsyncSession, mail_id: UUID) -> None:
    await session.execute(
        update(outbox)
        .where(outbox.c.id == mail_id)
        .values(sent_at=func.now(), attempts=outbox.c.attempts + 1)
    )


async def mark_failed(session: AsyncSession, mail: Mail, error: str) -> None:
    """Try again later: 30 s, 1 min, 2 min, … (MAX_ATTEMPTS in all)."""
    delay = timedelta(seconds=30 * 2**mail.attempts)
    await session.execute(
        update(outbox)
        .where(outbox.c.id == mail.id)
        .values(attempts=outbox.c.attempts + 1, last_error=error[:1000], next_attempt_at=func.now() + delay)
    )
