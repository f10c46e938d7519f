"""REST: /api/v1/instance/tenants — instance admins create, list, rename, disable and re-enable tenants
(the same TenantAdminService as GraphQL and the CLI; the rule is app.domain.tenants.policy)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.contracts import InstanceTenant, TenantCreate, TenantRename
from app.domain.paging import MAX_OFFSET
from app.wiring import Services

Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)]


class InstanceTenantController(Controller):
    path = "/api/v1/instance/tenants"
    tags = ["Instance"]

    @get(
        operation_id="ListInstanceTenants",
        summary="Every tenant with its user and board counts (instance admins)",
    )
    async def list_tenants(
        self, services: NamedDependency[Services], limit: Limit = 50, offset: Offset = 0
    ) -> list[InstanceTenant]:
        return await services.tenants.tenants(limit=limit, offset=offset)

    @post(operation_id="CreateInstanceTenant", summary="Create a tenant (instance admins; audited)")
    async def create_tenant(
        self, services: NamedDependency[Services], data: JSONBody[TenantCreate]
    ) -> InstanceTenant:
        return await services.tenants.create(data)

    @get("/{tenant_id:uuid}", operation_id="GetInstanceTenant", summary="One tenant (instance admins)")
    async def get_tenant(
        self, services: NamedDependency[Services], tenant_id: FromPath[UUID]
    ) -> InstanceTenant:
        return await services.tenants.tenant(tenant_id)

    @patch(
        "/{tenant_id:uuid}",
        operation_id="RenameInstanceTenant",
        summary="Rename a tenant (instance admins; audited)",
    )
    async def rename_tenant(
        self,
        services: NamedDependency[Services],
        tenant_id: FromPath[UUID],
        data: JSONBody[TenantRename],
    ) -> InstanceTenant:
        return await services.tenants.rename(tenant_id, data)

    @post(
        "/{tenant_id:uuid}/disable",
        operation_id="DisableInstanceTenant",
        summary="Disable a tenant: its users' requests refused at once, no new generations, data kept "
        "(instance admins; audited)",
        status_code=204,
    )
    async def disable_tenant(
        self, services: NamedDependency[Services], tenant_id: FromPath[UUID]
    ) -> Response[None]:
        await services.tenants.disable(tenant_id)
        return Response(None, status_code=204)

    @post(
        "/{tenant_id:uuid}/enable",
        operation_id="EnableInstanceTenant",
        summary="Let a disabled tenant's users act again (instance admins; audited)",
        status_code=204,
    )
    async def enable_tenant(
        self, services: NamedDependency[Services], tenant_id: FromPath[UUID]
    ) -> Response[None]:
        await services.tenants.enable(tenant_id)
        return Response(None, status_code=204)
