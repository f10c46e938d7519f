"""What tenant administration needs from storage and the outside world: Protocols the adapters implement
(built by app.wiring)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from app.contracts import InstanceTenant


class InstanceStore(Protocol):
    """Tenants across the instance (the one store not bound to the caller's tenant besides tenancy)."""

    async def tenants(self, *, limit: int, offset: int) -> Sequence[InstanceTenant]: ...

    async def tenant(self, tenant_id: UUID) -> InstanceTenant | None: ...

    async def slug_taken(self, slug: str) -> bool: ...

    async def create(self, *, slug: str, name: str) -> UUID: ...

    async def rename(self, tenant_id: UUID, name: str) -> bool: ...

    async def set_disabled(self, tenant_id: UUID, *, disabled: bool) -> bool: ...

    async def record(
        self, tenant_id: UUID, *, actor_user_id: UUID | None, actor_label: str, action: str,
        target_id: UUID, details: dict[str, Any],
    ) -> None: ...  # fmt: skip


class TenantChanges(Protocol):
    """Tells every API process, once the change is committed, that a tenant's cached state is stale."""

    def tenant_changed(self, tenant_id: UUID) -> None: ...
