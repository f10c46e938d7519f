"""Board generation counts kept by triggers (schema/sql/0240_board_generation_counts.sql says why), and
searchUsers' name-order index (schema/sql/0110_users.sql).

The DDL is a frozen copy (0009_growth_counts.sql) of schema/sql/0240. Writes to generations are
held off (SHARE ROW EXCLUSIVE: reads go on) from before the triggers exist until the existing rows are
counted, so no generation is counted twice or missed.

Revision ID: 0009_growth_counts
Revises: 0008_tenant_admin
Create Date: 2026-12-02
"""

from __future__ import annotations

from pathlib import Path

from alembic import op
from sqlalchemy.util import await_only

revision = "0009_growth_counts"
down_revision = "0008_tenant_admin"
branch_labels = None
depends_on = None

DDL = Path(__file__).with_suffix(".sql")
BACKFILL = (
    "INSERT INTO board_generation_counts (board_id, tenant_id, generation_count)"
    " SELECT board_id, tenant_id, count(*) FROM generations GROUP BY board_id, tenant_id"
)


def execute_script(sql: str) -> None:
    """A multi-statement script with the simple query protocol (as in 0001: asyncpg prepares one statement)."""
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    if hasattr(driver_connection, "fetchval"):
        await_only(driver_connection.execute(sql))
    else:
        op.get_bind().exec_driver_sql(sql)


def upgrade() -> None:
    op.execute("LOCK TABLE generations IN SHARE ROW EXCLUSIVE MODE")
    execute_script(DDL.read_text())
    op.execute(BACKFILL)
    op.execute("CREATE INDEX ix_users_tenant_display_name ON users (tenant_id, display_name, id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_users_tenant_display_name")
    for trigger in ("insert", "delete", "move", "truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_generations_count_{trigger} ON generations")
    op.execute("DROP TABLE IF EXISTS board_generation_counts")
    for function in ("count_board_generations", "move_board_generation", "reset_board_generation_counts"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
