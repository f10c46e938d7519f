"""One unit of work's composition: every service for one actor (what a REST handler or a GraphQL operation can
touch) and the stores GraphQL's DataLoaders read relations through."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import AuthConfig
from app.db.stores.boards import SqlBoardStore
from app.db.stores.members import SqlMemberStore
from app.db.stores.tags import SqlTagStore
from app.domain.accounts import AccountService, ApiKeyService
from app.domain.actor import Actor
from app.domain.admin import AdminService
from app.domain.boards import BoardService
from app.domain.credits import CreditService
from app.domain.direct_uploads import DirectUploadService
from app.domain.generations import GenerationRunner, GenerationService
from app.domain.generations.batches import BatchRunner
from app.domain.likes import LikeService
from app.domain.members import MemberService
from app.domain.search import SavedViewService, SearchService
from app.domain.tags import TagService
from app.domain.tenants import TenantAdminService
from app.domain.uploads import UploadService
from app.domain.users import UserService
from app.wiring.content import (
    build_batch_runner,
    build_board_service,
    build_direct_upload_service,
    build_generation_runner,
    build_generation_service,
    build_like_service,
    build_saved_view_service,
    build_search_service,
    build_tag_service,
    build_upload_service,
)
from app.wiring.people import (
    build_account_service,
    build_admin_service,
    build_api_key_service,
    build_auth_config,
    build_credit_service,
    build_member_service,
    build_tenant_admin_service,
    build_user_service,
    identity_changes,
)
from app.wiring.runtime import AfterCommit, Runtime


class Services:
    """Every service for one actor and one unit of work, each built on first use (a request usually touches one
    or two of them). REST's one provider (app/api/deps.py) and GraphQL's context both build it per request, so
    a service added here is reachable from both APIs."""

    def __init__(self, session: AsyncSession, actor: Actor, deps: Runtime, after_commit: AfterCommit) -> None:
        self._session, self._actor, self._deps, self._after_commit = session, actor, deps, after_commit

    @cached_property
    def boards(self) -> BoardService:
        return build_board_service(self._session, self._actor, self._deps, self._after_commit)

    @cached_property
    def members(self) -> MemberService:
        return build_member_service(self._session, self._actor, self._deps, self._after_commit)

    @cached_property
    def users(self) -> UserService:
        return build_user_service(self._session, self._actor)

    @cached_property
    def accounts(self) -> AccountService:
        return build_account_service(self._session, self._actor, self._deps, self._after_commit)

    @cached_property
    def auth_config(self) -> AuthConfig:
        return build_auth_config(self._deps)

    @cached_property
    def api_keys(self) -> ApiKeyService:
        return build_api_key_service(self._session, self._actor)

    @cached_property
    def generations(self) -> GenerationService:
        return build_generation_service(self._session, self._actor, self._deps, self._after_commit)

    @cached_property
    def tags(self) -> TagService:
        return build_tag_service(self._session, self._actor)

    @cached_property
    def likes(self) -> LikeService:
        return build_like_service(self._session, self._actor, self._deps)

    @cached_property
    def runner(self) -> GenerationRunner:
        return build_generation_runner(self._session, self._actor, self._deps, self._after_commit)

    @cached_property
    def admin(self) -> AdminService:
        changes = identity_changes(self._deps, self._after_commit)
        return build_admin_service(self._session, self._actor, sessions=self._deps.revoker, changes=changes)

    @cached_property
    def tenants(self) -> TenantAdminService:
        return build_tenant_admin_service(
            self._session, self._actor, rule=self._deps.instance_admins,
            changes=identity_changes(self._deps, self._after_commit),
        )  # fmt: skip

    @cached_property
    def batches(self) -> BatchRunner:
        return build_batch_runner(self._session, self._actor, self._deps, self._after_commit)

    @cached_property
    def search(self) -> SearchService:
        return build_search_service(self._session, self._actor, self._deps)

    @cached_property
    def saved_views(self) -> SavedViewService:
        return build_saved_view_service(self._session, self._actor)

    @cached_property
    def credits(self) -> CreditService:
        return build_credit_service(self._session, self._actor, self._deps)

    @cached_property
    def direct_uploads(self) -> DirectUploadService:
        return build_direct_upload_service(self._session, self._actor, self._deps)

    @cached_property
    def uploads(self) -> UploadService:
        return build_upload_service(self._session, self._actor, self._deps, self._after_commit)


def build_services(session: AsyncSession, actor: Actor, deps: Runtime, after_commit: AfterCommit) -> Services:
    return Services(session, actor, deps, after_commit)


@dataclass(frozen=True)
class ReadStores:
    """The tenant-scoped stores GraphQL's DataLoaders read relations through (parents were permission-checked
    when they were loaded, so no service stands in between)."""

    members: SqlMemberStore
    boards: SqlBoardStore
    tags: SqlTagStore


def build_read_stores(session: AsyncSession, actor: Actor) -> ReadStores:
    return ReadStores(
        members=SqlMemberStore(session, actor.tenant_id),
        boards=SqlBoardStore(session, actor.tenant_id),
        tags=SqlTagStore(session, actor.tenant_id),
    )
