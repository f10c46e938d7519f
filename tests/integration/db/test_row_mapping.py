"""Generations are built from rows by column name (app/db/stores/_rows.py): on real rows of every status and
artifact type, with and without extra files and optional values, the result equals msgspec.convert's."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.contracts import ArtifactType, Generation, GenerationStatus
from app.db.stores._scoped import row_to
from app.db.stores.generations import GENERATION_SELECT, generations, to_generation
from tests.integration.db.seeding import owner_and_board


@pytest.mark.usefixtures("clean_db")
async def test_rows_mapped_by_name_equal_msgspec_convert(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        tenant, user, board = await owner_and_board(conn)
        files = [[], [{"url": "https://x/a.png", "type": "image", "metadata": {"w": 1}, "key": "k/a.png"}]]
        for status, artifact, extra in itertools.product(GenerationStatus, ArtifactType, files):
            await conn.execute(
                text(
                    "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type,"
                    " status, progress, input_params, additional_files, started_at, error_message)"
                    " VALUES (:t, :b, :u, 'g', :a, :s, :progress, CAST(:p AS jsonb), CAST(:f AS jsonb),"
                    " CASE WHEN :started THEN now() END, :e)"
                ),
                {
                    "t": tenant, "b": board, "u": user, "a": artifact.value, "s": status.value,
                    "progress": 1.0 if status is GenerationStatus.COMPLETED else 0.25,
                    "p": json.dumps({"prompt": "a cat", "n": [1, 2]}), "f": json.dumps(extra),
                    "started": bool(extra), "e": None if extra else "boom",
                },
            )  # fmt: skip
        rows = (await conn.execute(select(*GENERATION_SELECT).where(generations.c.tenant_id == tenant))).all()
    assert len(rows) == len(GenerationStatus) * len(ArtifactType) * 2
    for row in rows:
        positional = to_generation(row, None)
        assert positional == row_to(Generation, row)
        assert type(positional.status) is GenerationStatus and type(positional.artifact_type) is ArtifactType
