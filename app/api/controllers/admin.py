"""REST: /api/v1/admin — tenant admins grant and revoke credits, list, disable and re-enable users, revoke
API keys and read the audit log."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.contracts import AdminApiKey, AdminUser, AuditEntry, CreditAdjustment, CreditEntry
from app.domain.paging import MAX_OFFSET
from app.wiring import Services

Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=200)]
Offset = Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)]


class AdminController(Controller):
    path = "/api/v1/admin"
    tags = ["Admin"]

    @post(
        "/credits/grant",
        operation_id="GrantCredits",
        summary="Add credits to a user (tenant admins; audited)",
    )
    async def grant_credits(
        self, services: NamedDependency[Services], data: JSONBody[CreditAdjustment]
    ) -> CreditEntry:
        return await services.admin.grant_credits(data)

    @post(
        "/credits/revoke",
        operation_id="RevokeCredits",
        summary="Take credits from a user, not below zero (tenant admins; audited)",
    )
    async def revoke_credits(
        self, services: NamedDependency[Services], data: JSONBody[CreditAdjustment]
    ) -> CreditEntry:
        return await services.admin.revoke_credits(data)

    @get("/users", operation_id="ListTenantUsers", summary="The tenant's users with role and balance")
    async def list_users(
        self, services: NamedDependency[Services], limit: Limit = 50, offset: Offset = 0
    ) -> list[AdminUser]:
        return await services.admin.users(limit=limit, offset=offset)

    @get("/audit", operation_id="ListAuditLog", summary="The tenant's admin actions, newest first")
    async def list_audit(
        self, services: NamedDependency[Services], limit: Limit = 50, offset: Offset = 0
    ) -> list[AuditEntry]:
        return await services.admin.audit_log(limit=limit, offset=offset)

    @get("/api-keys", operation_id="ListTenantApiKeys", summary="Every API key of the tenant, with its owner")
    async def list_api_keys(
        self, services: NamedDependency[Services], limit: Limit = 50, offset: Offset = 0
    ) -> list[AdminApiKey]:
        return await services.admin.api_keys(limit=limit, offset=offset)

    @delete(
        "/api-keys/{key_id:uuid}",
        operation_id="RevokeTenantApiKey",
        summary="Revoke any API key of the tenant (tenant admins; audited)",
        status_code=204,
    )
    async def revoke_api_key(
        self, services: NamedDependency[Services], key_id: FromPath[UUID]
    ) -> Response[None]:
        await services.admin.revoke_api_key(key_id)
        return Response(None, status_code=204)

    @post(
        "/users/{user_id:uuid}/disable",
        operation_id="DisableUser",
        summary="Disable a user: sessions, tokens and API keys refused at once (tenant admins; audited)",
        status_code=204,
    )
    async def disable_user(
        self, services: NamedDependency[Services], user_id: FromPath[UUID]
    ) -> Response[None]:
        await services.admin.disable_user(user_id)
        return Response(None, status_code=204)

    @post(
        "/users/{user_id:uuid}/enable",
        operation_id="EnableUser",
        summary="Let a disabled user sign in again (tenant admins; audited)",
        status_code=204,
    )
    async def enable_user(
        self, services: NamedDependency[Services], user_id: FromPath[UUID]
    ) -> Response[None]:
        await services.admin.enable_user(user_id)
        return Response(None, status_code=204)
