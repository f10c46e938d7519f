"""Administration of one tenant: users with their balances, credit adjustments and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.sql import literal_column

from app.contracts import AdminUser, AuditEntry, CreditEntry
from app.db.models import AuditLog, CreditLedger
from app.db.models import User as UserModel
from app.db.stores._scoped import TenantScoped, columns_for, row_to, table_of
from app.db.stores.credits import ENTRY_COLUMNS

audit = table_of(AuditLog)
ledger = table_of(CreditLedger)
users = table_of(UserModel)
AUDIT_COLUMNS = columns_for(audit, AuditEntry)


class SqlAdminStore(TenantScoped):
    """Implements app.domain.admin.AdminStore."""

    async def users(self, *, limit: int, offset: int) -> Sequence[AdminUser]:
        balance = (
            select(func.coalesce(func.sum(ledger.c.amount), 0))
            .where(self.scope(ledger), ledger.c.user_id == users.c.id)
            .scalar_subquery()
        )
        stmt = (
            select(
                users.c.id, users.c.email, users.c.display_name, users.c.auth_provider, users.c.is_admin,
                balance.label("credit_balance"), users.c.created_at,
            )
            .where(self.scope(users))
            .order_by(users.c.created_at, users.c.id)
            .limit(limit)
            .offset(offset)
        )  # fmt: skip
        return [row_to(AdminUser, row) for row in (await self.session.execute(stmt)).all()]

    async def user_exists(self, user_id: UUID, *, lock: bool = False) -> bool:
        stmt = select(users.c.id).where(self.scope(users), users.c.id == user_id)
        if lock:  # serialise with generation creation's reservation (it locks the same row)
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).first() is not None

    async def balance(self, user_id: UUID) -> Decimal:
        stmt = select(func.coalesce(func.sum(ledger.c.amount), 0)).where(
            self.scope(ledger), ledger.c.user_id == user_id
        )
        return Decimal((await self.session.execute(stmt)).scalar_one())

    async def adjust(self, user_id: UUID, kind: str, amount: Decimal, reason: str) -> CreditEntry:
        values = self.stamp({"user_id": user_id, "kind": kind, "amount": amount, "reason": reason})
        stmt = insert(ledger).values(values).returning(*ENTRY_COLUMNS)
        return row_to(CreditEntry, (await self.session.execute(stmt)).one())

    async def record(
        self, *, actor_user_id: UUID | None, actor_label: str, action: str, target_type: str,
        target_id: UUID | None, details: dict[str, Any],
    ) -> None:  # fmt: skip
        values = self.stamp(
            {"actor_user_id": actor_user_id, "actor_label": actor_label[:320], "action": action,
             "target_type": target_type, "target_id": target_id, "details": details}
        )  # fmt: skip
        await self.session.execute(insert(audit).values(values))

    async def audit_log(self, *, limit: int, offset: int) -> Sequence[AuditEntry]:
        stmt = (
            select(*AUDIT_COLUMNS)
            .where(self.scope(audit))
            .order_by(audit.c.created_at.desc(), literal_column("id"))
            .limit(limit)
            .offset(offset)
        )
        return [row_to(AuditEntry, row) for row in (await self.session.execute(stmt)).all()]
