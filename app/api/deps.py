"""Litestar DI providers: each builds a domain service through app.wiring for the current actor."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import actor_of
from app.db.transactions import READ_ONLY, after_commit_list, nothing_to_commit
from app.domain.accounts import AccountService, ApiKeyService
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
from app.wiring import (
    build_account_service,
    build_admin_service,
    build_api_key_service,
    build_batch_runner,
    build_board_service,
    build_credit_service,
    build_direct_upload_service,
    build_generation_runner,
    build_generation_service,
    build_like_service,
    build_member_service,
    build_saved_view_service,
    build_search_service,
    build_tag_service,
    build_tenant_admin_service,
    build_upload_service,
    build_user_service,
    identity_changes,
)

Req = Request[Any, Any, Any]


async def provide_boards(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> BoardService:
    return build_board_service(db_session, actor_of(request), state.runtime, after_commit_list(request.scope))


async def provide_members(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> MemberService:
    return build_member_service(
        db_session, actor_of(request), state.runtime, after_commit_list(request.scope)
    )


async def provide_users(request: Req, db_session: NamedDependency[AsyncSession]) -> UserService:
    return build_user_service(db_session, actor_of(request))


async def provide_accounts(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> AccountService:
    return build_account_service(
        db_session, actor_of(request), state.runtime, after_commit_list(request.scope)
    )


async def provide_api_keys(request: Req, db_session: NamedDependency[AsyncSession]) -> ApiKeyService:
    return build_api_key_service(db_session, actor_of(request))


async def provide_generations(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> GenerationService:
    return build_generation_service(
        db_session, actor_of(request), state.runtime, after_commit_list(request.scope)
    )


async def provide_runner(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> GenerationRunner:
    return build_generation_runner(
        db_session, actor_of(request), state.runtime, after_commit_list(request.scope)
    )


async def provide_tags(request: Req, db_session: NamedDependency[AsyncSession]) -> TagService:
    return build_tag_service(db_session, actor_of(request))


async def provide_likes(request: Req, state: State, db_session: NamedDependency[AsyncSession]) -> LikeService:
    return build_like_service(db_session, actor_of(request), state.runtime)


async def provide_credits(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> CreditService:
    return build_credit_service(db_session, actor_of(request), state.runtime)


async def provide_admin(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> AdminService:
    changes = identity_changes(state.runtime, after_commit_list(request.scope))
    return build_admin_service(db_session, actor_of(request), sessions=state.runtime.revoker, changes=changes)


async def provide_tenant_admin(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> TenantAdminService:
    return build_tenant_admin_service(
        db_session, actor_of(request), rule=state.runtime.instance_admins,
        changes=identity_changes(state.runtime, after_commit_list(request.scope)),
    )  # fmt: skip


async def provide_direct_uploads(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> DirectUploadService:
    return build_direct_upload_service(db_session, actor_of(request), state.runtime)


DIRECT_UPLOADS = {"direct_uploads": Provide(provide_direct_uploads)}


async def provide_uploads(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> UploadService:
    return build_upload_service(
        db_session, actor_of(request), state.runtime, after_commit_list(request.scope)
    )


BOARDS = {"boards": Provide(provide_boards)}
CREDITS = {"credits": Provide(provide_credits)}
ADMIN = {"admin": Provide(provide_admin)}
INSTANCE = {"tenants": Provide(provide_tenant_admin)}
LIKES = {"likes": Provide(provide_likes)}
RUNNER = {"runner": Provide(provide_runner)}
GENERATIONS = {"generations": Provide(provide_generations)}
TAGS = {"tags": Provide(provide_tags)}
MEMBERS = {"members": Provide(provide_members)}
USERS = {"users": Provide(provide_users)}
ACCOUNTS = {"accounts": Provide(provide_accounts)}
API_KEYS = {"api_keys": Provide(provide_api_keys)}
UPLOADS = {"uploads": Provide(provide_uploads)}


async def provide_search(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> SearchService:
    """Search and facets only read, so they run in autocommit like GraphQL queries: no BEGIN and COMMIT round
    trips (a page is one statement; facets 4 instead of 8 with their savepoint), each a wait for a core on a
    busy host."""
    await db_session.connection(execution_options=READ_ONLY)
    nothing_to_commit(request.scope)
    return build_search_service(db_session, actor_of(request), state.runtime)


async def provide_saved_views(request: Req, db_session: NamedDependency[AsyncSession]) -> SavedViewService:
    return build_saved_view_service(db_session, actor_of(request))


async def provide_batches(
    request: Req, state: State, db_session: NamedDependency[AsyncSession]
) -> BatchRunner:
    return build_batch_runner(db_session, actor_of(request), state.runtime, after_commit_list(request.scope))


SEARCH = {"search": Provide(provide_search)}
SAVED_VIEWS = {"saved_views": Provide(provide_saved_views)}
BATCHES = {"batches": Provide(provide_batches)}
