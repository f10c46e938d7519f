"""Administration: tenant admins grant and revoke credits, list their users and read the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from schema.api.common import Contract


class CreditAdjustment(Contract):
    """Credits to add to (grant) or take from (revoke) one user of the tenant, with the reason kept."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreditAdjustmentInput", "kind": "input"}}}

    user_id: UUID
    amount: float = Field(
        ge=0.0001,
        le=1_000_000,
        description="Credits, at least 0.0001 (the ledger's precision), at most 1,000,000.",
    )
    reason: str = Field(min_length=1, max_length=500)


class AdminUser(Contract):
    """A user as a tenant admin sees them: role and credit balance."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AdminUser", "kind": "type"}}}

    id: UUID
    email: str | None
    display_name: str | None
    auth_provider: str
    is_admin: bool
    credit_balance: float
    created_at: datetime
    disabled_at: datetime | None = Field(
        default=None, description="When a tenant admin disabled the account; null while it is active."
    )


class AuditEntry(Contract):
    """One admin action: who did what to what, when (append-only)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AuditEntry", "kind": "type"}}}

    id: UUID
    actor_user_id: UUID | None
    actor_label: str
    action: str
    target_type: str
    target_id: UUID | None
    details: dict[str, Any]
    created_at: datetime


class AdminApiKey(Contract):
    """An API key of the tenant with its owner, as a tenant admin sees it (never the secret)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AdminApiKey", "kind": "type"}}}

    id: UUID
    user_id: UUID
    user_email: str | None
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
