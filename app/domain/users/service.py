"""User and tenant reads. Users are visible to everyone signed in to the same tenant; nothing crosses tenants."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from app.contracts import Tenant, TenantUpdate, User, UserList
from app.domain.actor import Actor
from app.domain.errors import Forbidden, Invalid, NotFound
from app.domain.limits import MAX_JSON_FIELD_BYTES, check_json_fields
from app.domain.paging import check_page, count_limit, page_info
from app.domain.patch import sent_fields
from app.domain.policy import require_user
from app.domain.users.ports import UserStore
from app.domain.users.privacy import visible, visible_all


class UserService:
    def __init__(self, store: UserStore, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    async def me(self) -> User | None:
        if self._actor.user_id is None:
            return None
        return await self._store.get(self._actor.user_id)

    async def get(self, user_id: UUID) -> User:
        require_user(self._actor)
        user = await self._store.get(user_id)
        if user is None:
            raise NotFound("user not found")
        return visible(user, self._actor)

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User]:
        """Users by id, as this actor may see them (relations: a board's owner, a generation's author)."""
        return visible_all(await self._store.get_many(user_ids), self._actor)

    def shown(self, user: User) -> User:
        """A user read elsewhere (with a board's members), as this actor may see them."""
        return visible(user, self._actor)

    async def search(self, query: str, *, limit: int = 20, offset: int = 0, counted: bool = True) -> UserList:
        """`counted=False` (GraphQL's list has no total) skips the count; otherwise it stops 10,000 matches
        past the page (app.domain.paging)."""
        require_user(self._actor)
        text = query.strip()
        if not 1 <= len(text) <= 100 or "\x00" in text:
            raise Invalid("search text must be 1-100 characters", details={"field": "query"})
        check_page(limit, offset, maximum=100)
        up_to = count_limit(limit, offset) if counted else None
        items, total = await self._store.search(text, limit=limit, offset=offset, count_up_to=up_to)
        page = page_info(total, limit, offset, rows=len(items), up_to=up_to)
        return UserList(items=visible_all(items, self._actor), page=page)

    async def tenant(self) -> Tenant:
        return await self._store.tenant()

    async def update_tenant(self, command: TenantUpdate) -> Tenant:
        require_user(self._actor)
        if not self._actor.is_admin:
            raise Forbidden("tenant administration needs a tenant admin")
        changes = {k: v for k, v in sent_fields(command).items() if v is not None}
        check_json_fields(changes, ("settings",), max_bytes=MAX_JSON_FIELD_BYTES)
        return await self._store.update_tenant(changes) if changes else await self._store.tenant()
