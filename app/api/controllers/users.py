"""REST: /api/v1/users and /api/v1/tenant."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.params import NOT_BLANK
from app.contracts import Tenant, TenantUpdate, User, UserList
from app.domain.errors import Unauthenticated
from app.domain.paging import MAX_OFFSET
from app.wiring import Services


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["Users"]

    @get("/me", operation_id="GetMe", summary="The signed-in user")
    async def get_me(self, services: NamedDependency[Services]) -> User:
        me = await services.users.me()
        if me is None:
            raise Unauthenticated("sign in to see your profile")
        return me

    @get("/{user_id:uuid}", operation_id="GetUser", summary="A user of the caller's tenant")
    async def get_user(self, services: NamedDependency[Services], user_id: FromPath[UUID]) -> User:
        return await services.users.get(user_id)

    @get(
        operation_id="SearchUsers",
        summary="Users whose name contains the text or whose e-mail address is the text",
    )
    async def search_users(
        self,
        services: NamedDependency[Services],
        q: Annotated[str, QueryParameter(name="q", min_length=1, max_length=100, pattern=NOT_BLANK)],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=100)] = 20,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
    ) -> UserList:
        return await services.users.search(q, limit=limit, offset=offset)


class TenantController(Controller):
    path = "/api/v1/tenant"
    tags = ["Users"]

    @get(operation_id="GetTenant", summary="The caller's tenant")
    async def get_tenant(self, services: NamedDependency[Services]) -> Tenant:
        return await services.users.tenant()

    @patch(operation_id="UpdateTenant", summary="Change the tenant (tenant admins)")
    async def update_tenant(
        self, services: NamedDependency[Services], data: JSONBody[TenantUpdate]
    ) -> Tenant:
        return await services.users.update_tenant(data)
