"""schema/sql → app/db/_generated/models.py.

PostgreSQL itself parses the DDL (a throwaway server on loopback), SQLAlchemy reflects it, and a small
sqlacodegen generator renders models onto app.db.base.Base. No relationships are generated: stores write
explicit joins and GraphQL batches through DataLoaders, so nothing can lazy-load (an N+1) by accident.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
from sqlacodegen.generators import Base as CodegenBase
from sqlacodegen.generators import DeclarativeGenerator, LiteralImport
from sqlacodegen.models import Model, ModelClass, RelationshipAttribute
from sqlalchemy import Column, MetaData, create_engine
from sqlalchemy.dialects.postgresql import JSONB

from app.embedded import EmbeddedPostgres
from codegen._format import GENERATED_HEADER, ruff_format

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "schema" / "sql"
OUTPUT = ROOT / "app" / "db" / "_generated" / "models.py"


class AtelierGenerator(DeclarativeGenerator):
    """sqlacodegen's declarative generator with our base and typed JSONB. Column order is sqlacodegen's:
    required columns first, then nullable ones, each in DDL order (deterministic, so diffs stay small)."""

    def generate_base(self) -> None:
        self.base = CodegenBase(
            literal_imports=[LiteralImport("app.db.base", "Base")],
            declarations=[],
            metadata_ref="Base.metadata",
        )

    def generate_relationships(
        self, source: ModelClass, models_by_table_name: dict[str, Model], association_tables: list[Model]
    ) -> list[RelationshipAttribute]:
        return []

    def render_column_python_type(self, column: Column[Any]) -> str:
        if isinstance(column.type, JSONB):
            default = str(getattr(column.server_default, "arg", ""))
            python_type = "list[Any]" if "'[]'" in default else "dict[str, Any]"
            self.add_literal_import("typing", "Any")
            return f"{python_type} | None" if column.nullable else python_type
        return super().render_column_python_type(column)


def sql_files(sql_dir: Path = SQL_DIR) -> list[Path]:
    """The DDL files in the order they are applied (lexical)."""
    return sorted(sql_dir.glob("*.sql"))


async def apply_sql(dsn: str, files: list[Path]) -> None:
    """Apply DDL files in order on one connection (simple query protocol: multi-statement files work)."""
    conn = await asyncpg.connect(dsn)
    try:
        for path in files:
            try:
                await conn.execute(path.read_text())
            except asyncpg.PostgresError as exc:
                raise RuntimeError(f"{path.name}: {exc}") from exc
    finally:
        await conn.close()


def reflect_and_render(sync_dsn: str) -> str:
    """Reflect the public schema of a database and render it as model source (unformatted)."""
    engine = create_engine(sync_dsn.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        metadata = MetaData()
        with engine.connect() as conn:
            metadata.reflect(conn, schema=None)
            for name in ("alembic_version",):
                if name in metadata.tables:
                    metadata.remove(metadata.tables[name])
            generator = AtelierGenerator(metadata, conn, options=["use_inflect"])
            return generator.generate()
    finally:
        engine.dispose()


@contextmanager
def throwaway_postgres() -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL that lives for one codegen run, in a temp dir the `nobody` user can reach."""
    with tempfile.TemporaryDirectory(prefix="atelier-codegen-", dir="/tmp") as tmp:
        Path(tmp).chmod(0o755)  # the server runs as `nobody` when we are root
        server = EmbeddedPostgres(Path(tmp) / "pg", persistent=False)
        with server:
            yield server


def render_models_from(sync_dsn: str) -> str:
    """Final, formatted text of the generated models module for the database at `sync_dsn`."""
    body = reflect_and_render(sync_dsn)
    header = (
        GENERATED_HEADER
        + "# Source: schema/sql/*.sql (applied to PostgreSQL, reflected, rendered by codegen/sql_models.py)\n"
    )
    return ruff_format(
        header + '"""SQLAlchemy models of every table in schema/sql."""\n\n' + body, str(OUTPUT)
    )


def render_models(sql_dir: Path = SQL_DIR) -> str:
    """Apply schema/sql to a throwaway PostgreSQL and return the generated models module."""
    with throwaway_postgres() as pg:
        asyncio.run(apply_sql(pg.sync_dsn, sql_files(sql_dir)))
        return render_models_from(pg.sync_dsn)
