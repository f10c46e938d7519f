"""Instance admins create, list, rename, disable and re-enable tenants. Every change is audited in the
tenant it concerns (and in the acting admin's own tenant), in the same transaction as the change."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from app.contracts import InstanceTenant, TenantCreate, TenantRename
from app.domain.actor import Actor
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.paging import check_page
from app.domain.tenants.policy import InstanceAdmins
from app.domain.tenants.ports import InstanceStore, TenantChanges

CLI_LABEL = "cli"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # tenants.ck_tenants_slug_format
MAX_NAME = 200


class TenantAdminService:
    """`operator=True` is the CLI: someone on the machine, acting without an account (audited as "cli")."""

    def __init__(
        self, store: InstanceStore, actor: Actor, rule: InstanceAdmins, *, operator: bool = False,
        changes: TenantChanges | None = None,
    ) -> None:  # fmt: skip
        self._store, self._actor, self._rule = store, actor, rule
        self._operator, self._changes = operator, changes

    def _require(self) -> None:
        if not self._operator:
            self._rule.require(self._actor)

    async def tenants(self, *, limit: int = 50, offset: int = 0) -> list[InstanceTenant]:
        self._require()
        check_page(limit, offset)
        return list(await self._store.tenants(limit=limit, offset=offset))

    async def tenant(self, tenant_id: UUID) -> InstanceTenant:
        self._require()
        found = await self._store.tenant(tenant_id)
        if found is None:
            raise NotFound("no such tenant")
        return found

    async def create(self, data: TenantCreate) -> InstanceTenant:
        self._require()
        slug, name = data.slug, _name(data.name)
        if not SLUG.fullmatch(slug):
            raise Invalid("slug: a-z, 0-9 and '-', at most 63, starting with a letter or digit",
                          details={"field": "slug"})  # fmt: skip
        if await self._store.slug_taken(slug):
            raise Conflict(f"a tenant {slug!r} exists", details={"field": "slug"})
        tenant_id = await self._store.create(slug=slug, name=name)
        await self._audit(tenant_id, "tenant.create", {"slug": slug, "name": name})
        return await self.tenant(tenant_id)

    async def rename(self, tenant_id: UUID, data: TenantRename) -> InstanceTenant:
        self._require()
        name = _name(data.name)
        if not await self._store.rename(tenant_id, name):
            raise NotFound("no such tenant")
        await self._audit(tenant_id, "tenant.rename", {"name": name})
        return await self.tenant(tenant_id)

    async def disable(self, tenant_id: UUID) -> bool:
        """Every request of the tenant's users is refused (in every API process at once) and its workers
        start none of its generations; its data is kept. An admin cannot disable their own tenant (they
        would lock themself out of undoing it)."""
        self._require()
        if not self._operator and tenant_id == self._actor.tenant_id:
            raise Conflict("you cannot disable your own tenant")
        return await self._set_disabled(tenant_id, disabled=True)

    async def enable(self, tenant_id: UUID) -> bool:
        """The tenant's users may act again; its waiting generations are queued by the sweeper."""
        self._require()
        return await self._set_disabled(tenant_id, disabled=False)

    async def _set_disabled(self, tenant_id: UUID, *, disabled: bool) -> bool:
        if not await self._store.set_disabled(tenant_id, disabled=disabled):
            raise NotFound("no such tenant")
        await self._audit(tenant_id, "tenant.disable" if disabled else "tenant.enable", {})
        if self._changes is not None:
            self._changes.tenant_changed(tenant_id)
        return True

    async def _audit(self, tenant_id: UUID, action: str, details: dict[str, Any]) -> None:
        """In the tenant concerned and, when it acts from another one, in the admin's own tenant."""
        label = CLI_LABEL if self._operator else (self._actor.email or str(self._actor.user_id))
        actor_user_id = None if self._operator else self._actor.user_id
        homes = [tenant_id]
        if not self._operator and self._actor.tenant_id != tenant_id:
            homes.append(self._actor.tenant_id)
        for home in homes:
            await self._store.record(
                home, actor_user_id=actor_user_id, actor_label=label, action=action, target_id=tenant_id,
                details=details,
            )  # fmt: skip


def _name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"name: 1-{MAX_NAME} characters, not blank", details={"field": "name"})
    return name
