"""Generation leases with fencing: lease_owner, lease_expires_at, failures, error_code (schema/sql/0205).

The statements are a frozen copy of schema/sql/0205_generation_leases.sql at this revision.

Revision ID: 0002_generation_leases
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0002_generation_leases"
down_revision = "0001"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE generations\n  ADD COLUMN lease_owner text NULL,\n  ADD COLUMN lease_expires_at timestamptz NULL,\n  ADD COLUMN failures integer NOT NULL DEFAULT 0,\n  ADD COLUMN error_code text NULL,\n  ADD CONSTRAINT ck_generations_failures_nonnegative CHECK (failures >= 0),\n  ADD CONSTRAINT ck_generations_error_code_format CHECK (\n    error_code IS NULL OR error_code ~ '^[A-Z][A-Z0-9_]{1,63}$'\n  ),\n  ADD CONSTRAINT ck_generations_lease_only_processing CHECK (\n    status = 'processing' OR (lease_owner IS NULL AND lease_expires_at IS NULL)\n  )",
    "CREATE INDEX ix_generations_processing_lease ON generations (lease_expires_at)\n  WHERE status = 'processing'",
    "CREATE INDEX ix_generations_pending_updated ON generations (updated_at)\n  WHERE status = 'pending'",
    "COMMENT ON COLUMN generations.lease_owner IS 'The worker process holding the running attempt (host, pid and a nonce); NULL unless processing.'",
    "COMMENT ON COLUMN generations.lease_expires_at IS 'Until when the holder''s claim stands; its worker renews it while alive. Past it, another worker may claim the row.'",
    "COMMENT ON COLUMN generations.failures IS 'Attempts that failed (error, lost worker); a drained worker''s hand-back does not count. Bounded by the retry budget.'",
    "COMMENT ON COLUMN generations.error_code IS 'Machine-readable reason of a failure (e.g. STORAGE_FULL, STORAGE_UNAVAILABLE, WORKER_LOST, GENERATOR_FAILED).'",
]  # fmt: skip


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_generations_pending_updated")
    op.execute("DROP INDEX IF EXISTS ix_generations_processing_lease")
    op.execute(
        "ALTER TABLE generations DROP COLUMN IF EXISTS error_code, DROP COLUMN IF EXISTS failures, "
        "DROP COLUMN IF EXISTS lease_expires_at, DROP COLUMN IF EXISTS lease_owner"
    )
