"""Tags and their assignment to generations, scoped to one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from app.contracts import Tag
from app.db.models import GenerationTag
from app.db.models import Tag as TagModel
from app.db.stores._counted import page_total
from app.db.stores._scoped import TenantScoped, columns_for, row_to, table_of

tags = table_of(TagModel)
generation_tags = table_of(GenerationTag)
TAG_COLUMNS = columns_for(tags, Tag)


class SqlTagStore(TenantScoped):
    """Implements app.domain.tags.TagStore."""

    async def page(
        self, *, limit: int, offset: int, count_up_to: int | None = None
    ) -> tuple[Sequence[Tag], int]:
        condition = self.scope(tags)
        stmt = (
            select(*TAG_COLUMNS).where(condition).order_by(tags.c.name, tags.c.id).limit(limit).offset(offset)
        )
        rows = (await self.session.execute(stmt)).all()
        total = await page_total(
            self.session, tags, condition, rows=len(rows), limit=limit, offset=offset, count_up_to=count_up_to
        )
        return [row_to(Tag, row) for row in rows], total

    async def _one(self, *conditions: Any) -> Tag | None:
        row = (
            await self.session.execute(select(*TAG_COLUMNS).where(self.scope(tags), *conditions))
        ).one_or_none()
        return None if row is None else row_to(Tag, row)

    async def get(self, tag_id: UUID) -> Tag | None:
        return await self._one(tags.c.id == tag_id)

    async def by_slug(self, slug: str) -> Tag | None:
        return await self._one(tags.c.slug == slug)

    async def insert(self, values: dict[str, Any]) -> Tag | None:
        stmt = (
            insert(tags)
            .values(self.stamp(values))
            .on_conflict_do_nothing(index_elements=[tags.c.tenant_id, tags.c.slug])
            .returning(*TAG_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(Tag, row)

    async def update(self, tag_id: UUID, changes: dict[str, Any]) -> Tag | None:
        stmt = (
            update(tags)
            .where(self.scope(tags), tags.c.id == tag_id)
            .values(**changes, updated_at=func.now())
            .returning(*TAG_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(Tag, row)

    async def delete(self, tag_id: UUID) -> bool:
        result = await self.session.execute(delete(tags).where(self.scope(tags), tags.c.id == tag_id))
        return bool(getattr(result, "rowcount", 0))

    async def tags_of(self, generation_ids: Sequence[UUID]) -> dict[UUID, list[Tag]]:
        stmt = (
            select(generation_tags.c.generation_id, *TAG_COLUMNS)
            .join(tags, tags.c.id == generation_tags.c.tag_id)
            .where(self.scope(generation_tags), generation_tags.c.generation_id.in_(list(generation_ids)))
            .order_by(tags.c.name)
        )
        found: dict[UUID, list[Tag]] = {i: [] for i in generation_ids}
        for row in (await self.session.execute(stmt)).all():
            found[row.generation_id].append(row_to(Tag, row))
        return found

    async def attach(self, generation_id: UUID, tag_id: UUID) -> None:
        values = self.stamp({"generation_id": generation_id, "tag_id": tag_id})
        stmt = (
            insert(generation_tags)
            .values(values)
            .on_conflict_do_nothing(
                index_elements=[generation_tags.c.generation_id, generation_tags.c.tag_id]
            )
        )
        await self.session.execute(stmt)

    async def detach(self, generation_id: UUID, tag_id: UUID) -> bool:
        stmt = delete(generation_tags).where(
            self.scope(generation_tags),
            generation_tags.c.generation_id == generation_id,
            generation_tags.c.tag_id == tag_id,
        )
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))
