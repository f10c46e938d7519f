"""Initial schema: every table of schema/sql, plus the default tenant.

The DDL is a frozen copy (0001_initial_schema.sql) so that later edits to schema/sql need a new revision;
tests/integration/db/test_migrations.py proves `upgrade head` reaches exactly the schema of schema/sql.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from pathlib import Path

from alembic import op
from sqlalchemy.util import await_only

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DDL = Path(__file__).with_suffix(".sql")
TABLES = [
    "upload_intents", "webhook_events", "refresh_tokens", "api_keys", "credit_ledger", "likes",
    "generation_tags", "tags", "generation_inputs", "generations", "board_invitations", "board_members",
    "boards", "users", "tenants",
]  # fmt: skip
TYPES = ["credit_entry_kind", "invitation_status", "board_role", "generation_status", "artifact_type"]
FUNCTIONS = ["enforce_tenant_match()", "set_updated_at()"]


def execute_script(sql: str) -> None:
    """Run a multi-statement script with the simple query protocol (asyncpg prepares single statements only)."""
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    if hasattr(driver_connection, "fetchval"):  # asyncpg, inside SQLAlchemy's greenlet bridge
        await_only(driver_connection.execute(sql))
    else:  # psycopg and other sync drivers accept scripts directly
        op.get_bind().exec_driver_sql(sql)


def upgrade() -> None:
    execute_script(DDL.read_text())
    op.execute("INSERT INTO tenants (name, slug) VALUES ('Default', 'default') ON CONFLICT (slug) DO NOTHING")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    for type_name in TYPES:
        op.execute(f"DROP TYPE IF EXISTS {type_name}")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
