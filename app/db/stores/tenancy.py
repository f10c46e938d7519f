"""Tenants, user provisioning and API-key lookup: what authentication needs before a tenant is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import ApiKey, Tenant, User
from app.db.stores._scoped import table_of

tenants = table_of(Tenant)
users = table_of(User)
api_keys = table_of(ApiKey)


@dataclass(frozen=True, slots=True)
class Provisioned:
    user_id: UUID
    is_admin: bool
    email: str | None
    created: bool
    disabled: bool = False  # a tenant admin disabled the account (users.disabled_at)


@dataclass(frozen=True, slots=True)
class ApiKeyOwner:
    tenant_id: UUID
    user_id: UUID
    is_admin: bool
    email: str | None
    tenant_disabled: bool = False


@dataclass(frozen=True, slots=True)
class TenantState:
    tenant_id: UUID
    disabled: bool


class SqlTenancyStore:
    """Used by authentication and the CLI: the only store not bound to one tenant (it finds the tenant)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tenant_id_by_slug(self, slug: str) -> UUID | None:
        stmt = select(tenants.c.id).where(tenants.c.slug == slug)
        tenant_id: UUID | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return tenant_id

    async def tenant_state(
        self, *, slug: str | None = None, tenant_id: UUID | None = None
    ) -> TenantState | None:
        """The tenant by slug or id with whether an instance admin disabled it; None when there is none."""
        where = tenants.c.slug == slug if slug is not None else tenants.c.id == tenant_id
        stmt = select(tenants.c.id, tenants.c.disabled_at.is_not(None).label("disabled")).where(where)
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else TenantState(row.id, bool(row.disabled))

    async def create_tenant(self, *, name: str, slug: str) -> UUID:
        stmt = insert(tenants).values(name=name, slug=slug).returning(tenants.c.id)
        tenant_id: UUID = (await self.session.execute(stmt)).scalar_one()
        return tenant_id

    async def provision_user(
        self,
        tenant_id: UUID,
        *,
        auth_provider: str,
        auth_subject: str,
        email: str | None = None,
        display_name: str | None = None,
        avatar_url: str | None = None,
    ) -> UUID:
        return (
            await self.provision(
                tenant_id, auth_provider=auth_provider, auth_subject=auth_subject, email=email,
                display_name=display_name, avatar_url=avatar_url,
            )
        ).user_id  # fmt: skip

    async def provision(
        self,
        tenant_id: UUID,
        *,
        auth_provider: str,
        auth_subject: str,
        email: str | None,
        display_name: str | None,
        avatar_url: str | None,
        email_verified: bool = False,
    ) -> Provisioned:
        """Insert on first sight, else return the existing user. ON CONFLICT makes concurrent first requests
        safe; an e-mail already used by another user of the tenant is left off rather than failing sign-in."""
        values = {
            "tenant_id": tenant_id,
            "auth_provider": auth_provider,
            "auth_subject": auth_subject,
            "display_name": display_name,
            "avatar_url": avatar_url,
        }
        if email is not None and await self._email_free(tenant_id, email):
            values["email"] = email
            if email_verified:  # the identity provider vouched for it (its email_verified claim)
                values["email_verified_at"] = func.now()
        inserted = (
            insert(users)
            .values(values)
            .on_conflict_do_nothing(
                index_elements=[users.c.tenant_id, users.c.auth_provider, users.c.auth_subject]
            )
            .returning(users.c.id, users.c.is_admin, users.c.email)
        )
        row = (await self.session.execute(inserted)).one_or_none()
        if row is not None:
            return Provisioned(row.id, row.is_admin, row.email, created=True)
        existing = select(users.c.id, users.c.is_admin, users.c.email, users.c.disabled_at).where(
            users.c.tenant_id == tenant_id,
            users.c.auth_provider == auth_provider,
            users.c.auth_subject == auth_subject,
        )
        found = (await self.session.execute(existing)).one()
        return Provisioned(
            found.id, found.is_admin, found.email, created=False, disabled=found.disabled_at is not None
        )

    async def _email_free(self, tenant_id: UUID, email: str) -> bool:
        stmt = select(users.c.id).where(users.c.tenant_id == tenant_id, users.c.email == email).limit(1)
        return (await self.session.execute(stmt)).first() is None

    async def api_key_owner(self, key_hash: str, *, now: datetime) -> ApiKeyOwner | None:
        """The live key's owner; records last use (at most once a minute per key, to keep reads cheap)."""
        k, u = api_keys, users
        stmt = (
            select(
                k.c.id,
                k.c.last_used_at,
                u.c.tenant_id,
                u.c.id.label("user_id"),
                u.c.is_admin,
                u.c.email,
                tenants.c.disabled_at.is_not(None).label("tenant_disabled"),
            )
            .join(u, u.c.id == k.c.user_id)
            .join(tenants, tenants.c.id == u.c.tenant_id)
            .where(
                k.c.key_hash == key_hash,
                k.c.revoked_at.is_(None),
                or_(k.c.expires_at.is_(None), k.c.expires_at > now),
                u.c.disabled_at.is_(None),  # a disabled account's keys are refused while it is disabled
            )
        )
        row = (await self.session.execute(stmt)).one_or_none()
        if row is None:
            return None
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            await self.session.execute(update(k).where(k.c.id == row.id).values(last_used_at=func.now()))
        return ApiKeyOwner(row.tenant_id, row.user_id, row.is_admin, row.email, bool(row.tenant_disabled))
