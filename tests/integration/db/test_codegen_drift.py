"""The generated models are exactly what schema/sql produces, and a DDL edit without `make codegen` is caught."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest

from app.embedded import EmbeddedPostgres
from codegen.__main__ import ROOT, TARGETS, run
from codegen.sql_models import SQL_DIR, apply_sql, render_models_from, sql_files


def _render(pg: EmbeddedPostgres, sql_dir: Path) -> str:
    name = f"drift_{uuid4().hex[:8]}"
    pg.create_database(name)
    try:
        asyncio.run(apply_sql(pg.dsn_for(name), sql_files(sql_dir)))
        return render_models_from(pg.dsn_for(name))
    finally:
        pg.drop_database(name)


def test_committed_models_match_schema_sql(embedded_postgres: EmbeddedPostgres) -> None:
    committed = TARGETS["models"][0].read_text()
    assert _render(embedded_postgres, SQL_DIR) == committed, "stale: run `make codegen`"


def test_editing_schema_sql_without_codegen_fails_the_check(
    embedded_postgres: EmbeddedPostgres,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edited = tmp_path / "sql"
    shutil.copytree(SQL_DIR, edited)
    boards_sql = edited / "0120_boards.sql"
    boards_sql.write_text(boards_sql.read_text() + "\nALTER TABLE boards ADD COLUMN cover_url text;\n")
    regenerated = _render(embedded_postgres, edited)
    assert regenerated != TARGETS["models"][0].read_text()
    assert "cover_url" in regenerated
    # The check `make check` runs, fed the edited schema: exit 1 and a diff naming the new column.
    path = TARGETS["models"][0]
    monkeypatch.setitem(TARGETS, "models", (path, lambda: regenerated))
    assert run(["models"], check=True) == 1
    assert "+    cover_url" in capsys.readouterr().out
    assert path.read_text() != regenerated  # --check never writes


def test_codegen_check_command_passes_on_a_clean_tree() -> None:
    """`python -m codegen --check` (what `make check` runs) for the contract targets; fast, no database."""
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "--check", "structs", "gql", "openapi", "sdl"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
