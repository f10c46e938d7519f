"""Generation search (stored tsvector, trigram prompt index), batches of variations, saved views.

The DDL is a frozen copy (0004_generation_search.sql) of schema/sql/0220 and 0230.

Revision ID: 0004_generation_search
Revises: 0003_audit_log
Create Date: 2026-12-02
"""

from __future__ import annotations

from pathlib import Path

from alembic import op
from sqlalchemy.util import await_only

revision = "0004_generation_search"
down_revision = "0003_audit_log"
branch_labels = None
depends_on = None

DDL = Path(__file__).with_suffix(".sql")


def execute_script(sql: str) -> None:
    """A multi-statement script with the simple query protocol (as in 0001: asyncpg prepares one statement)."""
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    if hasattr(driver_connection, "fetchval"):
        await_only(driver_connection.execute(sql))
    else:
        op.get_bind().exec_driver_sql(sql)


def upgrade() -> None:
    execute_script(DDL.read_text())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS saved_views CASCADE")
    for index in ("ix_generations_tenant_created_id", "ix_generations_batch", "ix_generations_prompt_trgm",
                  "ix_generations_search_vector"):  # fmt: skip
        op.execute(f"DROP INDEX IF EXISTS {index}")
    op.execute(
        "ALTER TABLE generations DROP CONSTRAINT IF EXISTS ck_generations_batch_index_range, "
        "DROP CONSTRAINT IF EXISTS ck_generations_batch_pair, DROP COLUMN IF EXISTS search_vector, "
        "DROP COLUMN IF EXISTS batch_index, DROP COLUMN IF EXISTS batch_id"
    )
