"""E-mail verification and delivery: users.email_verified_at, email_tokens, mail_outbox.

No existing account is marked verified: none ever proved its address (new external identities are, when
their token says `email_verified: true`). Invitation links let anyone join regardless.

Revision ID: 0005_email_verification
Revises: 0004_generation_search
Create Date: 2026-12-02
"""

from __future__ import annotations

from pathlib import Path

from alembic import op
from sqlalchemy.util import await_only

revision = "0005_email_verification"
down_revision = "0004_generation_search"
branch_labels = None
depends_on = None


def _frozen(name: str) -> str:
    return (Path(__file__).with_suffix("") / name).read_text()


def upgrade() -> None:
    op.execute("ALTER TABLE users ADD COLUMN email_verified_at timestamptz NULL")
    op.execute(
        "COMMENT ON COLUMN users.email_verified_at IS 'When the user proved they receive mail at this address "
        "(a verification, reset or invitation link); NULL = unverified. Only verified addresses accept invitations.'"
    )
    for name in ("0520_email_tokens.sql", "0530_mail_outbox.sql"):
        execute_script(_frozen(name))


def execute_script(sql: str) -> None:
    """Run a multi-statement script with the simple query protocol (as revision 0001 does)."""
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    if hasattr(driver_connection, "fetchval"):  # asyncpg, inside SQLAlchemy's greenlet bridge
        await_only(driver_connection.execute(sql))
    else:
        op.get_bind().exec_driver_sql(sql)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS mail_outbox")
    op.execute("DROP TABLE IF EXISTS email_tokens")
    op.execute("ALTER TABLE users DROP COLUMN IF EXISTS email_verified_at")
