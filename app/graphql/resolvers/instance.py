"""GraphQL: instance administration of tenants (the same TenantAdminService as REST /api/v1/instance)."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.graphql._generated.types import CreateTenantInput, InstanceTenantFields, RenameTenantInput
from app.graphql.context import Info


@strawberry.type
class InstanceQueries:
    @strawberry.field(description="Every tenant with its user and board counts (instance admins).")
    async def instance_tenants(
        self, info: Info, limit: int = 50, offset: int = 0
    ) -> list[InstanceTenantFields]:
        tenants = await info.context.services.tenants.tenants(limit=limit, offset=offset)
        return [InstanceTenantFields.from_contract(tenant) for tenant in tenants]

    @strawberry.field(description="One tenant with its user and board counts (instance admins).")
    async def instance_tenant(self, info: Info, id: UUID) -> InstanceTenantFields:
        return InstanceTenantFields.from_contract(await info.context.services.tenants.tenant(id))


@strawberry.type
class InstanceMutations:
    @strawberry.mutation(description="Create a tenant (instance admins; audited).")
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> InstanceTenantFields:
        created = await info.context.services.tenants.create(input.to_contract())
        return InstanceTenantFields.from_contract(created)

    @strawberry.mutation(description="Rename a tenant; its slug stays (instance admins; audited).")
    async def rename_tenant(self, info: Info, id: UUID, input: RenameTenantInput) -> InstanceTenantFields:
        renamed = await info.context.services.tenants.rename(id, input.to_contract())
        return InstanceTenantFields.from_contract(renamed)

    @strawberry.mutation(
        description="Disable a tenant: every request of its users is refused at once (FORBIDDEN, reason "
        "TENANT_DISABLED), its workers start none of its generations; its data is kept (instance admins; "
        "audited)."
    )
    async def disable_tenant(self, info: Info, id: UUID) -> bool:
        return await info.context.services.tenants.disable(id)

    @strawberry.mutation(description="Let a disabled tenant's users act again (instance admins; audited).")
    async def enable_tenant(self, info: Info, id: UUID) -> bool:
        return await info.context.services.tenants.enable(id)
