"""Migrations reach exactly the schema of schema/sql, and go down and up again cleanly."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Iterator
from uuid import uuid4

import pytest

from app.embedded import EmbeddedPostgres
from app.platform import migrate
from codegen.sql_models import apply_sql, render_models_from, sql_files


@pytest.fixture
def two_databases(embedded_postgres: EmbeddedPostgres) -> Iterator[tuple[str, str]]:
    names = [f"mig_{uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        embedded_postgres.create_database(name)
    yield names[0], names[1]
    for name in names:
        embedded_postgres.drop_database(name)


def schema_dump(pg: EmbeddedPostgres, database: str) -> str:
    """pg_dump --schema-only without alembic's bookkeeping table and without comments/settings noise."""
    out = subprocess.run(
        [str(pg.bin_dir / "pg_dump"), "--schema-only", "--no-owner", "--no-privileges", "-T", "alembic_version",
         pg.dsn_for(database)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    lines = [line for line in out.splitlines() if not line.startswith(("--", "\\restrict", "\\unrestrict"))]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def test_upgrade_head_equals_schema_sql(
    embedded_postgres: EmbeddedPostgres, two_databases: tuple[str, str]
) -> None:
    from_sql, from_migrations = two_databases
    asyncio.run(apply_sql(embedded_postgres.dsn_for(from_sql), sql_files()))
    migrate.upgrade(embedded_postgres.url_for(from_migrations))

    # Reflected the same way (the codegen's own reflection): tables, columns, types, constraints, indexes.
    assert render_models_from(embedded_postgres.dsn_for(from_migrations)) == render_models_from(
        embedded_postgres.dsn_for(from_sql)
    )
    # And what reflection cannot see: functions, triggers, extensions, comments.
    assert schema_dump(embedded_postgres, from_migrations) == schema_dump(embedded_postgres, from_sql)


def test_downgrade_to_base_and_upgrade_again(
    embedded_postgres: EmbeddedPostgres, two_databases: tuple[str, str]
) -> None:
    database, reference = two_databases
    url = embedded_postgres.url_for(database)
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    emptied = schema_dump(embedded_postgres, database)
    assert "CREATE TABLE" not in emptied.replace("CREATE TABLE public.alembic_version", "")
    assert "CREATE TYPE" not in emptied
    assert "CREATE FUNCTION" not in emptied
    migrate.upgrade(url)
    migrate.upgrade(embedded_postgres.url_for(reference))
    assert schema_dump(embedded_postgres, database) == schema_dump(embedded_postgres, reference)


def test_migration_seeds_the_default_tenant(
    embedded_postgres: EmbeddedPostgres, two_databases: tuple[str, str]
) -> None:
    database, _ = two_databases
    migrate.upgrade(embedded_postgres.url_for(database))
    out = subprocess.run(
        [str(embedded_postgres.bin_dir / "psql"), "-tA", "-c", "SELECT slug FROM tenants", embedded_postgres.dsn_for(database)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert out.split() == ["default"]
