"""The credit ledger of one tenant. Settlement (capture/refund) is idempotent: one per generation and kind."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Insert,
    Text,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import CreditEntry
from app.db.models import CreditLedger
from app.db.models import User as UserModel
from app.db.stores._scoped import TenantScoped, columns_for, row_to, table_of

ledger = table_of(CreditLedger)
users = table_of(UserModel)
ENTRY_COLUMNS = columns_for(ledger, CreditEntry)

_SETTLE = text(
    """
    INSERT INTO credit_ledger (tenant_id, user_id, kind, amount, generation_id, reason)
    SELECT tenant_id, user_id, CAST(:kind AS credit_entry_kind),
           CASE WHEN :kind = 'refund' THEN -amount ELSE 0 END, generation_id, :reason
    FROM credit_ledger
    WHERE tenant_id = :tenant AND generation_id = :generation AND kind = 'reserve'
      AND NOT EXISTS (SELECT 1 FROM credit_ledger s WHERE s.generation_id = :generation
                      AND s.kind IN ('capture', 'refund'))
    ON CONFLICT DO NOTHING
    """
)


async def settle(session: AsyncSession, tenant_id: UUID, generation_id: UUID, kind: str, reason: str) -> None:
    """Capture (success) or refund (failure, cancel) a generation's reservation, at most once."""
    params = {"kind": kind, "reason": reason[:500], "tenant": tenant_id, "generation": generation_id}
    await session.execute(_SETTLE, params)


def settle_after(generation_id: ColumnElement[Any], kind: str) -> Insert:
    """`settle` as a statement to put in a CTE next to the transition that settles (app.db.stores.lifecycle):
    `generation_id` is that CTE's column, so nothing is written when the transition matched no row; the
    reason is bound as `settle_reason`."""
    reserve, settled = ledger.alias("reserve"), ledger.alias("settled")
    amount = -reserve.c.amount if kind == "refund" else literal_column("0")
    rows = select(
        reserve.c.tenant_id, reserve.c.user_id, literal_column(f"'{kind}'::credit_entry_kind"), amount,
        reserve.c.generation_id, bindparam("settle_reason", type_=Text()),
    ).where(
        reserve.c.generation_id == generation_id, reserve.c.kind == "reserve",
        ~exists().where(
            settled.c.generation_id == generation_id,
            or_(settled.c.kind == "capture", settled.c.kind == "refund"),
        ),
    )  # fmt: skip
    columns = ["tenant_id", "user_id", "kind", "amount", "generation_id", "reason"]
    return pg_insert(ledger).from_select(columns, rows).on_conflict_do_nothing()


class SqlCreditStore(TenantScoped):
    """Implements app.domain.credits.CreditStore."""

    async def balance(self, user_id: UUID, *, lock: bool = False) -> Decimal:
        if lock:  # serialise spending per user: the second request waits for the first to commit
            await self.session.execute(
                select(users.c.id).where(self.scope(users), users.c.id == user_id).with_for_update()
            )
        stmt = select(func.coalesce(func.sum(ledger.c.amount), 0)).where(
            self.scope(ledger), ledger.c.user_id == user_id
        )
        return Decimal((await self.session.execute(stmt)).scalar_one())

    async def reserve(self, user_id: UUID, generation_id: UUID, amount: Decimal) -> None:
        values = self.stamp(
            {"user_id": user_id, "kind": "reserve", "amount": -amount, "generation_id": generation_id,
             "reason": "reserved for a generation"}
        )  # fmt: skip
        await self.session.execute(insert(ledger).values(values))

    async def refund(self, generation_id: UUID, reason: str) -> None:
        await settle(self.session, self.tenant_id, generation_id, "refund", reason)

    async def history(self, user_id: UUID, *, limit: int, offset: int) -> Sequence[CreditEntry]:
        stmt = (
            select(*ENTRY_COLUMNS)
            .where(self.scope(ledger), ledger.c.user_id == user_id)
            .order_by(ledger.c.created_at.desc(), ledger.c.id)
            .limit(limit)
            .offset(offset)
        )
        return [row_to(CreditEntry, row) for row in (await self.session.execute(stmt)).all()]
