"""Search at scale: no parallel scans of generations (schema/sql/0220_generation_search.sql says why).

Revision ID: 0006_search_speed
Revises: 0005_email_verification
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0006_search_speed"
down_revision = "0005_email_verification"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE generations SET (parallel_workers = 0)")


def downgrade() -> None:
    op.execute("ALTER TABLE generations RESET (parallel_workers)")
