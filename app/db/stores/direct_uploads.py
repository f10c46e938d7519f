"""Upload intents of one tenant, and the generation a confirmed upload becomes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import Generation
from app.db.models import Generation as GenerationModel
from app.db.models import UploadIntent as UploadIntentModel
from app.db.stores._scoped import TenantScoped, table_of
from app.db.stores.generations import SqlGenerationStore
from app.domain.direct_uploads import UploadIntent
from app.domain.errors import NotFound
from app.domain.policy import BoardRelation

intents = table_of(UploadIntentModel)
generations = table_of(GenerationModel)
INTENT_COLUMNS = [intents.c[name] for name in UploadIntent.__dataclass_fields__]


def _intent(row: Any) -> UploadIntent:
    values = dict(row._mapping)
    values["artifact_type"] = str(getattr(values["artifact_type"], "value", values["artifact_type"]))
    return UploadIntent(**values)


class SqlUploadIntentStore(TenantScoped):
    """Implements app.domain.direct_uploads.UploadIntentStore."""

    def __init__(self, session: Any, tenant_id: UUID, generations: SqlGenerationStore) -> None:
        super().__init__(session, tenant_id)
        self._generations = generations

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        return await self._generations.relation(board_id, user_id)

    async def insert(self, values: dict[str, Any]) -> UploadIntent:
        stmt = insert(intents).values(self.stamp(values)).returning(*INTENT_COLUMNS)
        return _intent((await self.session.execute(stmt)).one())

    async def get(self, intent_id: UUID) -> UploadIntent | None:
        stmt = select(*INTENT_COLUMNS).where(self.scope(intents), intents.c.id == intent_id)
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else _intent(row)

    async def confirm(self, intent: UploadIntent, *, size: int, generation: dict[str, Any]) -> Generation:
        values = self.stamp({**generation, "completed_at": func.now(), "started_at": func.now()})
        await self.session.execute(
            pg_insert(generations).values(values).on_conflict_do_nothing(index_elements=[generations.c.id])
        )
        await self.session.execute(
            update(intents)
            .where(self.scope(intents), intents.c.id == intent.id, intents.c.confirmed_at.is_(None))
            .values(confirmed_at=func.now(), size_bytes=size, generation_id=intent.id)
        )
        done = await self._generations.get(intent.id)
        if done is None:  # the board was deleted between the checks
            raise NotFound("board not found")
        return done

    async def generation(self, generation_id: UUID) -> Generation | None:
        return await self._generations.get(generation_id)


async def accepting_bytes(session: AsyncSession, locator: str) -> bool:
    """Whether an unconfirmed, unexpired upload intent owns this object: once confirmed (or expired) its
    upload URL writes nothing, even while its signature is still valid. The signed URL names the object,
    so this lookup needs no tenant: the key begins with it."""
    stmt = select(intents.c.id).where(
        intents.c.storage_key == locator, intents.c.confirmed_at.is_(None), intents.c.expires_at > func.now()
    )
    return (await session.execute(stmt.limit(1))).first() is not None
