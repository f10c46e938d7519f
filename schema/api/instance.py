"""Instance administration: instance admins (ATELIER_INSTANCE_ADMINS) create, list, rename, disable and
re-enable tenants, across tenants."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from schema.api.common import NOT_BLANK, Contract

SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"  # the same rule as tenants.ck_tenants_slug_format


class InstanceTenant(Contract):
    """A tenant as an instance admin sees it: state and size."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "InstanceTenant", "kind": "type"}}}

    id: UUID
    name: str
    slug: str
    created_at: datetime
    updated_at: datetime
    disabled_at: datetime | None = Field(
        default=None, description="When an instance admin disabled the tenant; null while it is active."
    )
    user_count: int = Field(description="Users of the tenant (disabled ones included).")
    board_count: int = Field(description="Boards of the tenant.")


class TenantCreate(Contract):
    """A new tenant: its slug (how requests select it) and display name."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateTenantInput", "kind": "input"}}}

    slug: str = Field(
        min_length=1,
        max_length=63,
        pattern=SLUG,
        description="a-z, 0-9 and '-', starting with a letter or digit.",
    )
    name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)


class TenantRename(Contract):
    """A tenant's new display name (the slug stays: tokens, headers and storage keys name it)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "RenameTenantInput", "kind": "input"}}}

    name: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
