"""Disabled tenants: tenants.disabled_at (instance admins disable and re-enable whole tenants).

Revision ID: 0008_tenant_admin
Revises: 0007_user_disable
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0008_tenant_admin"
down_revision = "0007_user_disable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tenants ADD COLUMN disabled_at timestamptz NULL")
    op.execute(
        "COMMENT ON COLUMN tenants.disabled_at IS 'When an instance admin disabled the tenant (NULL = active): "
        "every request of its users is refused and its workers start no new generation; its data is kept.'"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE tenants DROP COLUMN disabled_at")
