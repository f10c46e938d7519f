"""Golden file for the SQL → SQLAlchemy generator (codegen/sql_models.py), on a small DDL that exercises its
choices: our base class, no relationships, typed JSONB, `metadata` renamed, constraints, column order.

Refresh with ATELIER_UPDATE_GOLDEN=1 after a deliberate generator change, and review the diff.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from uuid import uuid4

from app.embedded import EmbeddedPostgres
from codegen.sql_models import apply_sql, render_models_from

CASE = Path(__file__).resolve().parents[2] / "unit" / "codegen" / "data" / "sql_basic"


def test_sql_generator_matches_its_golden_file(embedded_postgres: EmbeddedPostgres) -> None:
    name = f"golden_{uuid4().hex[:8]}"
    embedded_postgres.create_database(name)
    try:
        asyncio.run(apply_sql(embedded_postgres.dsn_for(name), [CASE / "schema.sql"]))
        rendered = render_models_from(embedded_postgres.dsn_for(name))
    finally:
        embedded_postgres.drop_database(name)
    expected = CASE / "expected_models.py"
    if os.environ.get("ATELIER_UPDATE_GOLDEN") == "1":
        expected.write_text(rendered)
    assert rendered == expected.read_text()
    # The choices, stated: one glance at the golden file should confirm them.
    assert "relationship(" not in rendered
    assert "from app.db.base import Base" in rendered
    assert 'metadata_: Mapped[dict[str, Any]] = mapped_column(\n        "metadata"' in rendered
    assert "tags: Mapped[list[Any]]" in rendered
    # Required columns first, then nullable ones, each group in DDL order.
    assert (
        rendered.index("title:")
        < rendered.index("mood:")
        < rendered.index("subtitle:")
        < rendered.index("price:")
    )
