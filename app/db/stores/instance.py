"""Tenants across the instance, for instance admins: counts, creation, renaming, disabling. Not bound to
one tenant on purpose (like the tenancy store): it is only reached through TenantAdminService, which asks
app.domain.tenants.policy first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import InstanceTenant
from app.db.models import AuditLog, Board, Tenant, User
from app.db.stores._scoped import row_to, table_of

tenants = table_of(Tenant)
users = table_of(User)
boards = table_of(Board)
audit = table_of(AuditLog)


def _count(table: Any) -> Any:
    return select(func.count()).where(table.c.tenant_id == tenants.c.id).scalar_subquery()


TENANT_SELECT = select(
    tenants.c.id, tenants.c.name, tenants.c.slug, tenants.c.created_at, tenants.c.updated_at,
    tenants.c.disabled_at, _count(users).label("user_count"), _count(boards).label("board_count"),
)  # fmt: skip


class SqlInstanceStore:
    """Implements app.domain.tenants.InstanceStore."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tenants(self, *, limit: int, offset: int) -> Sequence[InstanceTenant]:
        stmt = TENANT_SELECT.order_by(tenants.c.created_at, tenants.c.id).limit(limit).offset(offset)
        return [row_to(InstanceTenant, row) for row in (await self.session.execute(stmt)).all()]

    async def tenant(self, tenant_id: UUID) -> InstanceTenant | None:
        row = (await self.session.execute(TENANT_SELECT.where(tenants.c.id == tenant_id))).one_or_none()
        return None if row is None else row_to(InstanceTenant, row)

    async def slug_taken(self, slug: str) -> bool:
        stmt = select(tenants.c.id).where(tenants.c.slug == slug)
        return (await self.session.execute(stmt)).first() is not None

    async def create(self, *, slug: str, name: str) -> UUID:
        stmt = insert(tenants).values(slug=slug, name=name).returning(tenants.c.id)
        return UUID(str((await self.session.execute(stmt)).scalar_one()))

    async def rename(self, tenant_id: UUID, name: str) -> bool:
        stmt = update(tenants).where(tenants.c.id == tenant_id).values(name=name).returning(tenants.c.id)
        return (await self.session.execute(stmt)).first() is not None

    async def set_disabled(self, tenant_id: UUID, *, disabled: bool) -> bool:
        """Disable (keeping the first time) or re-enable; False when there is no such tenant."""
        stamp = func.coalesce(tenants.c.disabled_at, func.now()) if disabled else None
        stmt = (
            update(tenants).where(tenants.c.id == tenant_id).values(disabled_at=stamp).returning(tenants.c.id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def record(
        self, tenant_id: UUID, *, actor_user_id: UUID | None, actor_label: str, action: str,
        target_id: UUID, details: dict[str, Any],
    ) -> None:  # fmt: skip
        values = {
            "tenant_id": tenant_id, "actor_user_id": actor_user_id, "actor_label": actor_label[:320],
            "action": action, "target_type": "tenant", "target_id": target_id, "details": details,
        }  # fmt: skip
        await self.session.execute(insert(audit).values(values))
