"""Users and the tenant, scoped to one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select, union, update

from app.contracts import Tenant, User
from app.db.models import Tenant as TenantModel
from app.db.models import User as UserModel
from app.db.raw import Prepared, among
from app.db.stores._counted import page_total
from app.db.stores._rows import mapper_for
from app.db.stores._scoped import TenantScoped, columns_for, like_pattern, row_to, table_of

users = table_of(UserModel)
tenants = table_of(TenantModel)
USER_COLUMNS = columns_for(users, User)
TENANT_COLUMNS = columns_for(tenants, Tenant)


# Built once (the DataLoader's statement on every GraphQL request that shows a user).
_USERS_BY_ID = Prepared(
    "users.by_id",
    select(*USER_COLUMNS).where(users.c.tenant_id == bindparam("tenant"), among(users.c.id, "ids")),
)
_USERS = mapper_for(User)


class SqlUserStore(TenantScoped):
    """Implements app.domain.users.UserStore."""

    async def get(self, user_id: UUID) -> User | None:
        found = await self.get_many([user_id])
        return found[0] if found else None

    async def get_many(self, user_ids: Sequence[UUID]) -> Sequence[User]:
        params = {"tenant": self.tenant_id, "ids": list(user_ids)}
        found = await _USERS_BY_ID.fetch(self.session, params)
        return list(map(_USERS.over(found.keys), found))

    async def search(
        self, query: str, *, limit: int, offset: int, count_up_to: int | None = None
    ) -> tuple[Sequence[User], int]:
        rows = (await self.session.execute(self._page(query, limit, offset))).all()
        total = await page_total(
            self.session,
            users,
            self._matching(query),
            rows=len(rows),
            limit=limit,
            offset=offset,
            count_up_to=count_up_to,
        )
        return [row_to(User, row) for row in rows], total

    def _matching(self, query: str) -> ColumnElement[bool]:
        pattern = like_pattern(query)
        return self.scope(users) & or_(users.c.display_name.ilike(pattern), users.c.email == query)

    def _page(self, query: str, limit: int, offset: int) -> Select[Any]:
        """The page in name order, found first on ix_users_tenant_display_name alone: an index-only walk that
        tests the fragment on the index's names and stops after offset + limit matches (a common fragment
        no longer reads and sorts every match, a rare one walks only index pages), united with the one user
        whose address is the text; then only the page's rows are read."""
        name, user_id = users.c.display_name, users.c.id
        named = (
            select(name, user_id)
            .where(self.scope(users), name.ilike(like_pattern(query)))
            .order_by(name, user_id)
            .limit(offset + limit)
        )
        addressed = select(name, user_id).where(self.scope(users), users.c.email == query)
        hits = union(named, addressed).subquery("hits")
        return (
            select(*USER_COLUMNS)
            .join_from(users, hits, users.c.id == hits.c.id)
            .where(self.scope(users))
            .order_by(hits.c.display_name, hits.c.id)
            .limit(limit)
            .offset(offset)
        )

    async def tenant(self) -> Tenant:
        stmt = select(*TENANT_COLUMNS).where(tenants.c.id == self.tenant_id)
        return row_to(Tenant, (await self.session.execute(stmt)).one())

    async def update_tenant(self, changes: dict[str, Any]) -> Tenant:
        stmt = (
            update(tenants)
            .where(tenants.c.id == self.tenant_id)
            .values(**changes, updated_at=func.now())
            .returning(*TENANT_COLUMNS)
        )
        return row_to(Tenant, (await self.session.execute(stmt)).one())
