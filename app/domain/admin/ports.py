"""What the admin use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from app.contracts import AdminApiKey, AdminUser, AuditEntry, CreditEntry


class AdminStore(Protocol):
    async def users(self, *, limit: int, offset: int) -> Sequence[AdminUser]: ...

    async def user_exists(self, user_id: UUID, *, lock: bool = False) -> bool: ...

    async def balance(self, user_id: UUID) -> Decimal: ...

    async def adjust(self, user_id: UUID, kind: str, amount: Decimal, reason: str) -> CreditEntry: ...

    async def record(
        self, *, actor_user_id: UUID | None, actor_label: str, action: str, target_type: str,
        target_id: UUID | None, details: dict[str, Any],
    ) -> None: ...  # fmt: skip

    async def audit_log(self, *, limit: int, offset: int) -> Sequence[AuditEntry]: ...

    async def api_keys(self, *, limit: int, offset: int) -> Sequence[AdminApiKey]: ...

    async def revoke_api_key(self, key_id: UUID) -> UUID | None: ...

    async def set_disabled(self, user_id: UUID, *, disabled: bool) -> bool: ...

    async def end_sessions(self, user_id: UUID) -> list[UUID]: ...


class SessionEnder(Protocol):
    """Ends sessions' access tokens at once in every API process (app.auth.revocations)."""

    async def revoke(self, session_ids: Sequence[UUID]) -> None: ...
