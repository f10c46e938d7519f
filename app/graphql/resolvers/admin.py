"""GraphQL: tenant administration (the same AdminService as REST /api/v1/admin)."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.graphql._generated.types import (
    AdminApiKeyFields,
    AdminUserFields,
    AuditEntryFields,
    CreditAdjustmentInput,
    CreditEntryFields,
)
from app.graphql.context import Info


@strawberry.type
class AdminQueries:
    @strawberry.field(description="The tenant's users with role and credit balance (tenant admins).")
    async def admin_users(self, info: Info, limit: int = 50, offset: int = 0) -> list[AdminUserFields]:
        users = await info.context.services.admin.users(limit=limit, offset=offset)
        return [AdminUserFields.from_contract(user) for user in users]

    @strawberry.field(description="The tenant's admin actions, newest first (tenant admins).")
    async def audit_log(self, info: Info, limit: int = 50, offset: int = 0) -> list[AuditEntryFields]:
        entries = await info.context.services.admin.audit_log(limit=limit, offset=offset)
        return [AuditEntryFields.from_contract(entry) for entry in entries]

    @strawberry.field(description="Every API key of the tenant with its owner (tenant admins).")
    async def admin_api_keys(self, info: Info, limit: int = 50, offset: int = 0) -> list[AdminApiKeyFields]:
        keys = await info.context.services.admin.api_keys(limit=limit, offset=offset)
        return [AdminApiKeyFields.from_contract(key) for key in keys]


@strawberry.type
class AdminMutations:
    @strawberry.mutation(description="Add credits to a user of the tenant (tenant admins; audited).")
    async def grant_credits(self, info: Info, input: CreditAdjustmentInput) -> CreditEntryFields:
        return CreditEntryFields.from_contract(
            await info.context.services.admin.grant_credits(input.to_contract())
        )

    @strawberry.mutation(description="Take credits from a user, never below zero (tenant admins; audited).")
    async def revoke_credits(self, info: Info, input: CreditAdjustmentInput) -> CreditEntryFields:
        return CreditEntryFields.from_contract(
            await info.context.services.admin.revoke_credits(input.to_contract())
        )

    @strawberry.mutation(description="Revoke any API key of the tenant (tenant admins; audited).")
    async def admin_revoke_api_key(self, info: Info, id: UUID) -> bool:
        return await info.context.services.admin.revoke_api_key(id)

    @strawberry.mutation(
        description="Disable a user of the tenant: their sessions, tokens and API keys are refused at once, "
        "and they cannot sign in until re-enabled (tenant admins; audited)."
    )
    async def disable_user(self, info: Info, id: UUID) -> bool:
        return await info.context.services.admin.disable_user(id)

    @strawberry.mutation(description="Let a disabled user sign in again (tenant admins; audited).")
    async def enable_user(self, info: Info, id: UUID) -> bool:
        return await info.context.services.admin.enable_user(id)
