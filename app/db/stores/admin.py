"""Administration of one tenant: users with their balances, credit adjustments and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.sql import literal_column

from app.contracts import AdminApiKey, AdminUser, AuditEntry, CreditEntry
from app.db.models import ApiKey as ApiKeyModel
from app.db.models import AuditLog, CreditLedger, RefreshToken
from app.db.models import User as UserModel
from app.db.stores._scoped import TenantScoped, columns_for, row_to, table_of
from app.db.stores.credits import ENTRY_COLUMNS

audit = table_of(AuditLog)
ledger = table_of(CreditLedger)
users = table_of(UserModel)
api_keys = table_of(ApiKeyModel)
refresh_tokens = table_of(RefreshToken)
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
                balance.label("credit_balance"), users.c.created_at, users.c.disabled_at,
            )
            .where(self.scope(users))
            .order_by(users.c.created_at, users.c.id)
            .limit(limit)
            .offset(offset)
        )  # fmt: skip
        return [row_to(AdminUser, row) for row in (await self.session.execute(stmt)).all()]

    async def set_disabled(self, user_id: UUID, *, disabled: bool) -> bool:
        """Disable (keeping the first time) or re-enable one of the tenant's users; False when no such user."""
        stamp = func.coalesce(users.c.disabled_at, func.now()) if disabled else None
        stmt = (
            update(users)
            .where(self.scope(users), users.c.id == user_id)
            .values(disabled_at=stamp)
            .returning(users.c.id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def end_sessions(self, user_id: UUID) -> list[UUID]:
        """Revoke every live refresh token of the user; the session ids (families) they belonged to."""
        stmt = (
            update(refresh_tokens)
            .where(
                self.scope(refresh_tokens),
                refresh_tokens.c.user_id == user_id,
                refresh_tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=func.now())
            .returning(refresh_tokens.c.family_id)
        )
        return list({row.family_id for row in await self.session.execute(stmt)})

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

    async def api_keys(self, *, limit: int, offset: int) -> Sequence[AdminApiKey]:
        k = api_keys
        stmt = (
            select(
                k.c.id, k.c.user_id, users.c.email.label("user_email"), k.c.name, k.c.prefix, k.c.created_at,
                k.c.last_used_at, k.c.expires_at, k.c.revoked_at,
            )
            .join(users, users.c.id == k.c.user_id)
            .where(self.scope(k))
            .order_by(k.c.created_at.desc(), k.c.id)
            .limit(limit)
            .offset(offset)
        )  # fmt: skip
        return [row_to(AdminApiKey, row) for row in (await self.session.execute(stmt)).all()]

    async def revoke_api_key(self, key_id: UUID) -> UUID | None:
        """Revoke one of the tenant's keys (idempotent); its owner, or None when there is no such key."""
        stmt = (
            update(api_keys)
            .where(self.scope(api_keys), api_keys.c.id == key_id)
            .values(revoked_at=func.coalesce(api_keys.c.revoked_at, func.now()))
            .returning(api_keys.c.user_id)
        )
        owner = (await self.session.execute(stmt)).scalar()
        return None if owner is None else UUID(str(owner))
