"""Disabled accounts: users.disabled_at (tenant admins disable and re-enable users).

Revision ID: 0007_user_disable
Revises: 0006_search_speed
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007_user_disable"
down_revision = "0006_search_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE users ADD COLUMN disabled_at timestamptz NULL")
    op.execute(
        "COMMENT ON COLUMN users.disabled_at IS 'When a tenant admin disabled the account (NULL = active): its "
        "sessions, tokens and API keys are refused and it cannot sign in until re-enabled.'"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN disabled_at")
