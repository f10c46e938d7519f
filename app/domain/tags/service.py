"""Tag use cases. Anyone in the tenant reads tags; signed-in users create them; tenant admins change or
delete them (they are shared by everyone); tagging a generation needs CONTRIBUTE on its board."""

from __future__ import annotations

import re
import unicodedata
from uuid import UUID

from app.contracts import Tag, TagCreate, TagList, TagUpdate
from app.domain.actor import Actor
from app.domain.errors import Conflict, Forbidden, Invalid, NotFound
from app.domain.generations.ports import GenerationAccess
from app.domain.limits import MAX_JSON_FIELD_BYTES, check_json_fields
from app.domain.paging import check_page, count_limit, page_info
from app.domain.patch import sent_fields
from app.domain.policy import Access, require_on_generation, require_user
from app.domain.tags.ports import TagStore


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-")
    if not slug:
        raise Invalid("the name needs at least one letter or digit to make a slug", details={"field": "slug"})
    return slug


class TagService:
    def __init__(self, store: TagStore, generations: GenerationAccess, actor: Actor) -> None:
        self._store = store
        self._generations = generations
        self._actor = actor

    async def page(self, *, limit: int = 50, offset: int = 0, counted: bool = True) -> TagList:
        """Tags by name. `counted=False` (GraphQL's list has no total) skips the count; otherwise it stops
        10,000 rows past the page (app.domain.paging)."""
        check_page(limit, offset)
        up_to = count_limit(limit, offset) if counted else None
        items, total = await self._store.page(limit=limit, offset=offset, count_up_to=up_to)
        return TagList(items=list(items), page=page_info(total, limit, offset, rows=len(items), up_to=up_to))

    async def get(self, tag_id: UUID) -> Tag:
        tag = await self._store.get(tag_id)
        if tag is None:
            raise NotFound("tag not found")
        return tag

    async def by_slug(self, slug: str) -> Tag:
        tag = await self._store.by_slug(slug)
        if tag is None:
            raise NotFound("tag not found")
        return tag

    async def create(self, command: TagCreate) -> Tag:
        require_user(self._actor)
        name = command.name.strip()
        values = {
            "name": name,
            "slug": command.slug or slugify(name),
            "description": command.description,
            "metadata": command.metadata,
        }
        check_json_fields(values, ("metadata",), max_bytes=MAX_JSON_FIELD_BYTES)
        tag = await self._store.insert(values)
        if tag is None:
            raise Conflict(f"a tag with slug {values['slug']!r} exists")
        return tag

    async def update(self, tag_id: UUID, patch: TagUpdate) -> Tag:
        self._require_admin()
        changes = sent_fields(patch)
        for name in ("name", "slug", "metadata"):
            if name in changes and changes[name] is None:
                raise Invalid(f"{name} cannot be null", details={"field": name})
        check_json_fields(changes, ("metadata",), max_bytes=MAX_JSON_FIELD_BYTES)
        if not changes:
            return await self.get(tag_id)
        if "slug" in changes:
            taken = await self._store.by_slug(changes["slug"])
            if taken is not None and taken.id != tag_id:
                raise Conflict(f"a tag with slug {changes['slug']!r} exists")
        tag = await self._store.update(tag_id, changes)
        if tag is None:
            raise NotFound("tag not found")
        return tag

    async def delete(self, tag_id: UUID) -> bool:
        self._require_admin()
        if not await self._store.delete(tag_id):
            raise NotFound("tag not found")
        return True

    async def of_generation(self, generation_id: UUID) -> list[Tag]:
        """Tags on a generation the caller may read."""
        found = await self._generations.board_relation_of(generation_id, self._actor.user_id)
        require_on_generation(self._actor, found, Access.READ)
        return (await self._store.tags_of([generation_id]))[generation_id]

    async def tag_generation(self, generation_id: UUID, tag_id: UUID) -> Tag:
        await self._contribute(generation_id)
        tag = await self.get(tag_id)
        await self._store.attach(generation_id, tag_id)
        return tag

    async def untag_generation(self, generation_id: UUID, tag_id: UUID) -> bool:
        await self._contribute(generation_id)
        return await self._store.detach(generation_id, tag_id)

    async def _contribute(self, generation_id: UUID) -> None:
        found = await self._generations.board_relation_of(generation_id, self._actor.user_id)
        require_on_generation(self._actor, found, Access.CONTRIBUTE)

    def _require_admin(self) -> None:
        require_user(self._actor)
        if not self._actor.is_admin:
            raise Forbidden(
                "tags are shared by the whole tenant: changing or deleting one needs a tenant admin"
            )
