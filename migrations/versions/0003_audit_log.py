"""The audit log of admin actions (schema/sql/0700_audit_log.sql, frozen here as 0003_audit_log.sql).

Revision ID: 0003_audit_log
Revises: 0002_generation_leases
Create Date: 2026-12-02
"""

from __future__ import annotations

from pathlib import Path

from alembic import op
from sqlalchemy.util import await_only

revision = "0003_audit_log"
down_revision = "0002_generation_leases"
branch_labels = None
depends_on = None

DDL = Path(__file__).with_suffix(".sql")


def execute_script(sql: str) -> None:
    """A multi-statement script by the simple query protocol (as 0001 does: asyncpg prepares one statement)."""
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    if hasattr(driver_connection, "fetchval"):
        await_only(driver_connection.execute(sql))
    else:
        op.get_bind().exec_driver_sql(sql)


def upgrade() -> None:
    execute_script(DDL.read_text())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS audit_log CASCADE")
