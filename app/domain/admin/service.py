"""Tenant admins grant and revoke credits, list users and read the audit log; every change they make is
written to the audit log in the same transaction (so there is no change without its record)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from app.contracts import AdminApiKey, AdminUser, AuditEntry, CreditAdjustment, CreditEntry
from app.domain.actor import Actor
from app.domain.admin.ports import AdminStore, SessionEnder
from app.domain.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from app.domain.paging import check_page

CLI_LABEL = "cli"


class AdminService:
    """`operator=True` is the CLI: someone on the machine, acting without an account."""

    def __init__(
        self, store: AdminStore, actor: Actor, *, operator: bool = False, sessions: SessionEnder | None = None
    ) -> None:
        self._store = store
        self._actor = actor
        self._operator = operator
        self._sessions = sessions

    def _require_admin(self) -> None:
        if self._operator:
            return
        if self._actor.user_id is None:
            raise Unauthenticated("sign in as a tenant admin")
        if not self._actor.is_admin:
            raise Forbidden("tenant admins only")

    async def grant_credits(self, adjustment: CreditAdjustment) -> CreditEntry:
        return await self._adjust(adjustment, kind="grant", sign=1, action="credits.grant")

    async def revoke_credits(self, adjustment: CreditAdjustment) -> CreditEntry:
        """Take credits back, never below zero (what is already reserved by running generations stays)."""
        return await self._adjust(adjustment, kind="adjustment", sign=-1, action="credits.revoke")

    async def _adjust(
        self, adjustment: CreditAdjustment, *, kind: str, sign: int, action: str
    ) -> CreditEntry:
        self._require_admin()
        amount = Decimal(str(adjustment.amount)).quantize(Decimal("0.0001"))
        if amount <= 0:
            raise Invalid("amount must be positive")
        if not await self._store.user_exists(adjustment.user_id, lock=True):
            raise NotFound("no such user in this tenant")
        if sign < 0:
            balance = await self._store.balance(adjustment.user_id)
            if balance < amount:
                raise Invalid(
                    f"cannot revoke {amount} credits: the balance is {balance}",
                    details={"balance": float(balance), "amount": float(amount)},
                )
        entry = await self._store.adjust(adjustment.user_id, kind, amount * sign, adjustment.reason)
        await self._audit(
            action, "user", adjustment.user_id, {"amount": float(amount), "reason": adjustment.reason}
        )
        return entry

    async def _audit(
        self, action: str, target_type: str, target_id: UUID | None, details: dict[str, Any]
    ) -> None:
        label = CLI_LABEL if self._operator else (self._actor.email or str(self._actor.user_id))
        await self._store.record(
            actor_user_id=None if self._operator else self._actor.user_id, actor_label=label, action=action,
            target_type=target_type, target_id=target_id, details=details,
        )  # fmt: skip

    async def users(self, *, limit: int = 50, offset: int = 0) -> list[AdminUser]:
        self._require_admin()
        check_page(limit, offset)
        return list(await self._store.users(limit=limit, offset=offset))

    async def audit_log(self, *, limit: int = 50, offset: int = 0) -> list[AuditEntry]:
        self._require_admin()
        check_page(limit, offset)
        return list(await self._store.audit_log(limit=limit, offset=offset))

    async def api_keys(self, *, limit: int = 50, offset: int = 0) -> list[AdminApiKey]:
        self._require_admin()
        check_page(limit, offset)
        return list(await self._store.api_keys(limit=limit, offset=offset))

    async def revoke_api_key(self, key_id: UUID) -> bool:
        """Revoke any key of the tenant (a leaked key, a departed user's script); audited."""
        self._require_admin()
        owner = await self._store.revoke_api_key(key_id)
        if owner is None:
            raise NotFound("no such API key in this tenant")
        await self._audit("api_key.revoke", "api_key", key_id, {"owner": str(owner)})
        return True

    async def disable_user(self, user_id: UUID) -> bool:
        """The account stops at once: its sessions end (access tokens refused in every process without a
        database read), its refresh tokens are revoked, its API keys and sign-ins are refused while
        disabled. An admin cannot disable themself (nobody may be left to undo it). Audited."""
        self._require_admin()
        if not self._operator and user_id == self._actor.user_id:
            raise Conflict("you cannot disable your own account")
        if not await self._store.set_disabled(user_id, disabled=True):
            raise NotFound("no such user in this tenant")
        ended = await self._store.end_sessions(user_id)
        if self._sessions is not None and ended:
            await self._sessions.revoke(ended)
        await self._audit("user.disable", "user", user_id, {"sessions_ended": len(ended)})
        return True

    async def enable_user(self, user_id: UUID) -> bool:
        """The account may sign in again (ended sessions stay ended; API keys work again). Audited."""
        self._require_admin()
        if not await self._store.set_disabled(user_id, disabled=False):
            raise NotFound("no such user in this tenant")
        await self._audit("user.enable", "user", user_id, {})
        return True
