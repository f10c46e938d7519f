"""Tenants and user provisioning (race-safe upsert on first sight of a user)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Tenant, User

tenants = Tenant.__table__
users = User.__table__


class SqlTenancyStore:
    """Implements app.domain.ports.Directory."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tenant_id_by_slug(self, slug: str) -> UUID | None:
        stmt = select(tenants.c.id).where(tenants.c.slug == slug)
        return (await self.session.execute(stmt)).scalar_one_or_none()

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
        return (await self.session.execute(stmt)).scalar_one()
