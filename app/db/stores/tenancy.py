"""Tenants and user provisioning (race-safe upsert on first sight of a user)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Tenant, User
from app.db.stores._scoped import table_of

tenants = table_of(Tenant)
users = table_of(User)


class SqlTenancyStore:
    """Implements app.domain.ports.Directory."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tenant_id_by_slug(self, slug: str) -> UUID | None:
        stmt = select(tenants.c.id).where(tenants.c.slug == slug)
        tenant_id: UUID | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return tenant_id

    async def provision_user(
        self,
        tenant_id: UUID,
        *,
        auth_provider: str,
        auth_subject: str,
        email: str | None = None,
        display_name: str | None = None,
    ) -> UUID:
        """Insert the user or return the existing id; ON CONFLICT makes concurrent first requests safe."""
        stmt = (
            insert(users)
            .values(
                tenant_id=tenant_id,
                auth_provider=auth_provider,
                auth_subject=auth_subject,
                email=email,
                display_name=display_name,
            )
            .on_conflict_do_update(
                index_elements=[users.c.tenant_id, users.c.auth_provider, users.c.auth_subject],
                set_={"auth_subject": auth_subject},  # a no-op update so RETURNING yields the existing row
            )
            .returning(users.c.id)
        )
        user_id: UUID = (await self.session.execute(stmt)).scalar_one()
        return user_id
