"""Uploaded artifacts: a completed generation (source = upload) and its `parent` lineage edge, in one unit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, insert

from app.contracts import Generation
from app.db.stores._scoped import TenantScoped
from app.db.stores.generations import (
    GENERATION_SELECT,
    SqlGenerationStore,
    SqlGenerationWriter,
    UrlSigner,
    generations,
    to_generation,
)
from app.domain.policy import BoardRelation

PARENT_ROLE = "parent"


class SqlUploadStore(TenantScoped):
    """Implements app.domain.uploads.UploadStore."""

    def __init__(self, session: Any, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._generations = SqlGenerationStore(session, tenant_id)
        self._writer = SqlGenerationWriter(session, tenant_id)
        self._urls = urls

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        return await self._generations.relation(board_id, user_id)

    async def board_relation_of(self, generation_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        return await self._generations.board_relation_of(generation_id, user_id)

    async def insert_upload(self, values: dict[str, Any], parent_id: UUID | None) -> Generation:
        row_values = {
            **self.stamp(values), "source": "upload", "status": "completed", "progress": 1.0,
            "phase": "finalizing", "started_at": func.now(), "completed_at": func.now(),
        }  # fmt: skip
        stmt = insert(generations).values(row_values).returning(*GENERATION_SELECT)
        row = (await self.session.execute(stmt)).one()
        if parent_id is not None:
            await self._writer.record_inputs(row.id, [(PARENT_ROLE, parent_id, 0)])
        return to_generation(row, self._urls)
