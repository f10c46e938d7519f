"""Composition root: the one function per use-case family that REST, GraphQL and jobs all call.

Every store is built with the actor's tenant, which is how tenant scoping reaches every query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.auth.identity_changes import AfterCommitChanges
from app.contracts import AuthConfig
from app.db.stores import SqlTenancyStore, backlog, lifecycle, mail
from app.db.stores.accounts import SqlAccountStore, SqlApiKeyStore
from app.db.stores.admin import SqlAdminStore
from app.db.stores.batches import SqlBatchStore
from app.db.stores.boards import SqlBoardQueries, SqlBoardStore
from app.db.stores.credits import SqlCreditStore
from app.db.stores.direct_uploads import SqlUploadIntentStore, accepting_bytes
from app.db.stores.files import SqlFileKeys, take_expired_uploads
from app.db.stores.generations import SqlGenerationStore, SqlGenerationWriter
from app.db.stores.instance import SqlInstanceStore
from app.db.stores.lifecycle import SqlLifecycle
from app.db.stores.likes import SqlLikeStore
from app.db.stores.mail import SqlOutbox
from app.db.stores.members import SqlMemberStore
from app.db.stores.search import SqlSavedViewStore, SqlSearchStore
from app.db.stores.sweeper import SqlSweeper
from app.db.stores.tags import SqlTagStore
from app.db.stores.uploads import SqlUploadStore
from app.db.stores.users import SqlUserStore
from app.db.stores.webhooks import SqlWebhookStore
from app.domain.accounts import AccountService, ApiKeyService, PasswordHasher, TokenIssuer
from app.domain.actor import Actor
from app.domain.admin import AdminService
from app.domain.boards import BoardService
from app.domain.credits import CreditService
from app.domain.direct_uploads import DirectUploadService
from app.domain.files import KeepFiles
from app.domain.generations import GenerationRunner, GenerationService
from app.domain.generations.batches import BatchRunner
from app.domain.generations.lifecycle import GenerationLifecycle, RetryPolicy
from app.domain.likes import LikeService
from app.domain.limits import MAX_JSON_FIELD_BYTES
from app.domain.members import MemberService
from app.domain.search import SavedViewService, SearchService
from app.domain.tags import TagService
from app.domain.tenants import NOBODY, InstanceAdmins, TenantAdminService
from app.domain.uploads import UploadLimits, UploadService, UrlFetcher
from app.domain.users import UserService
from app.domain.webhooks import WebhookService
from app.generators import GeneratorRegistry
from app.media import PillowImages
from app.net import AddressGuard, SafeFetcher
from app.platform.events import AfterCommitRelay, PublishAfterCommit
from app.queue.dispatcher import QueueDispatcher
from app.queue.files import QueueFileCleanup
from app.queue.mail import drain_after_commit
from app.storage import Storage
from app.storage.artifacts import StorageArtifacts

# System reads and writes of the metrics and jobs adapters (no actor), reached through the composition root.
generation_backlog = backlog.generation_backlog
LIVENESS_LOCK_CLASS = lifecycle.LIVENESS_LOCK_CLASS  # the advisory-lock namespace of worker presence locks
take_due_mail, mark_sent, mark_failed = mail.take_due_mail, mail.mark_sent, mail.mark_failed

DEFAULT_UPLOAD_LIMITS = UploadLimits(max_bytes=100 << 20, max_image_pixels=40_000_000, max_image_side=16_384)


@dataclass(frozen=True)
class Runtime:
    """Process-wide collaborators (built once in create_app or the worker's startup)."""

    hasher: PasswordHasher
    tokens: TokenIssuer
    refresh_ttl: timedelta
    local_accounts: bool
    storage: Storage
    catalog: GeneratorRegistry
    queue: Any = None  # saq.Queue; None where nothing may be queued
    events: Any = None  # redis.asyncio.Redis for progress events; None where nothing is announced
    credits_enabled: bool = False
    upload_ttl_s: int = 900
    upload_max_bytes: int = 512 * 1024 * 1024
    fetcher: UrlFetcher | None = None  # URL uploads (app.net.SafeFetcher); None where nothing is fetched
    upload_limits: UploadLimits = DEFAULT_UPLOAD_LIMITS
    link_base: str = "http://127.0.0.1:8000"  # where links in mail point (settings.link_base)
    login_throttle: Any = None  # app.auth.login_throttle.RedisLoginThrottle; None: logins are not throttled
    revoker: Any = None  # app.auth.revocations.Revocations: ended sessions' access tokens stop at once
    signup: str = "open"  # local sign-up policy unless the tenant sets its own (settings.signup_policy)
    max_json_field_bytes: int = (
        MAX_JSON_FIELD_BYTES  # board settings/metadata (settings.max_json_field_bytes)
    )
    auth_mode: str = "none"  # ATELIER_AUTH, shown to clients by GetAuthConfig / authConfig
    instance_admins: InstanceAdmins = NOBODY  # who manages tenants across the instance
    identity_changes: Any = None  # app.auth.identity_changes.IdentityChanges: stale caches in every process


AfterCommit = list[Callable[[], Awaitable[None]]]


def build_board_service(
    session: AsyncSession,
    actor: Actor,
    runtime: Runtime | None = None,
    after_commit: AfterCommit | None = None,
) -> BoardService:
    """Without a runtime and an after-commit list (read-only uses), deleting leaves stored files alone."""
    files = (
        KeepFiles()
        if runtime is None or after_commit is None
        else QueueFileCleanup(runtime.queue, after_commit)
    )
    return BoardService(
        SqlBoardQueries(session, actor.tenant_id),
        actor,
        file_keys=SqlFileKeys(session, actor.tenant_id),
        files=files,
        max_json_bytes=runtime.max_json_field_bytes if runtime else MAX_JSON_FIELD_BYTES,
    )


def build_generation_service(
    session: AsyncSession, actor: Actor, runtime: Runtime, after_commit: AfterCommit | None = None
) -> GenerationService:
    files = KeepFiles() if after_commit is None else QueueFileCleanup(runtime.queue, after_commit)
    return GenerationService(
        SqlGenerationStore(session, actor.tenant_id, urls=runtime.storage.signed_url),
        actor,
        file_keys=SqlFileKeys(session, actor.tenant_id),
        files=files,
    )


def build_direct_upload_service(session: AsyncSession, actor: Actor, runtime: Runtime) -> DirectUploadService:
    generations = SqlGenerationStore(session, actor.tenant_id, urls=runtime.storage.signed_url)
    return DirectUploadService(
        SqlUploadIntentStore(session, actor.tenant_id, generations),
        runtime.storage,
        actor,
        ttl_s=runtime.upload_ttl_s,
        max_bytes=runtime.upload_max_bytes,
        images=PillowImages(),
        limits=runtime.upload_limits,
    )


async def upload_accepts_bytes(session: AsyncSession, locator: str) -> bool:
    """The signed PUT endpoint's seal: only an open (unconfirmed, unexpired) direct upload takes bytes."""
    return await accepting_bytes(session, locator)


def build_generation_runner(
    session: AsyncSession, actor: Actor, runtime: Runtime, after_commit: AfterCommit
) -> GenerationRunner:
    return GenerationRunner(
        SqlGenerationStore(session, actor.tenant_id, urls=runtime.storage.signed_url),
        SqlGenerationWriter(session, actor.tenant_id),
        runtime.catalog,
        QueueDispatcher(runtime.queue, after_commit, events=runtime.events),
        actor,
        credits=build_credit_service(session, actor, runtime),
    )


def build_batch_runner(
    session: AsyncSession, actor: Actor, runtime: Runtime, after_commit: AfterCommit
) -> BatchRunner:
    """Batches run through the single-run steps of GenerationRunner (one creation use case)."""
    return BatchRunner(
        build_generation_runner(session, actor, runtime, after_commit),
        SqlBatchStore(session, actor.tenant_id, urls=runtime.storage.signed_url),
    )


def build_search_service(session: AsyncSession, actor: Actor, runtime: Runtime) -> SearchService:
    return SearchService(SqlSearchStore(session, actor.tenant_id, urls=runtime.storage.signed_url), actor)


def build_saved_view_service(session: AsyncSession, actor: Actor) -> SavedViewService:
    return SavedViewService(SqlSavedViewStore(session, actor.tenant_id), actor)


def build_upload_service(
    session: AsyncSession, actor: Actor, runtime: Runtime, after_commit: AfterCommit
) -> UploadService:
    return UploadService(
        SqlUploadStore(session, actor.tenant_id, urls=runtime.storage.signed_url),
        StorageArtifacts(runtime.storage),
        fetcher=runtime.fetcher or SafeFetcher(AddressGuard()),
        images=PillowImages(),
        limits=runtime.upload_limits,
        actor=actor,
        events=PublishAfterCommit(runtime.events, after_commit),
    )


def build_credit_service(session: AsyncSession, actor: Actor, runtime: Runtime) -> CreditService:
    return CreditService(SqlCreditStore(session, actor.tenant_id), actor, enabled=runtime.credits_enabled)


def build_admin_service(
    session: AsyncSession, actor: Actor, *, operator: bool = False, sessions: Any = None, changes: Any = None
) -> AdminService:
    """Tenant administration; `operator` is the CLI (no account, audited as "cli"); `sessions` ends a
    disabled user's access tokens at once (app.auth.revocations.Revocations), `changes` their cached
    identity in every process (identity_changes below)."""
    store = SqlAdminStore(session, actor.tenant_id)
    return AdminService(store, actor, operator=operator, sessions=sessions, changes=changes)


def build_tenant_admin_service(
    session: AsyncSession, actor: Actor, *, rule: InstanceAdmins = NOBODY, operator: bool = False,
    changes: Any = None,
) -> TenantAdminService:  # fmt: skip
    """Tenants across the instance (instance admins by `rule`, or the CLI as `operator`)."""
    return TenantAdminService(SqlInstanceStore(session), actor, rule, operator=operator, changes=changes)


def identity_changes(deps: Runtime, after_commit: AfterCommit | None) -> AfterCommitChanges | None:
    """Announces changed tenants and users to every API process once the unit of work commits."""
    if deps.identity_changes is None or after_commit is None:
        return None
    return AfterCommitChanges(deps.identity_changes, after_commit)


def build_like_service(session: AsyncSession, actor: Actor, runtime: Runtime) -> LikeService:
    store = SqlLikeStore(session, actor.tenant_id, urls=runtime.storage.signed_url)
    return LikeService(store, SqlGenerationStore(session, actor.tenant_id), actor)


def build_tag_service(session: AsyncSession, actor: Actor) -> TagService:
    return TagService(
        SqlTagStore(session, actor.tenant_id), SqlGenerationStore(session, actor.tenant_id), actor
    )


def build_outbox(
    session: AsyncSession, actor: Actor, deps: Runtime | None, after_commit: AfterCommit | None
) -> SqlOutbox:
    """Mail written in this unit of work; one drain job is queued after it commits."""
    return SqlOutbox(session, actor.tenant_id, drain_after_commit(deps.queue if deps else None, after_commit))


def build_member_service(
    session: AsyncSession, actor: Actor, deps: Runtime | None = None, after_commit: AfterCommit | None = None
) -> MemberService:
    return MemberService(
        SqlMemberStore(session, actor.tenant_id),
        actor,
        outbox=build_outbox(session, actor, deps, after_commit),
        link_base=deps.link_base if deps else "",
    )


def build_user_service(session: AsyncSession, actor: Actor) -> UserService:
    return UserService(SqlUserStore(session, actor.tenant_id), actor)


def build_account_service(
    session: AsyncSession, actor: Actor, deps: Runtime, after_commit: AfterCommit | None = None
) -> AccountService:
    store = SqlAccountStore(session, actor.tenant_id)
    return AccountService(
        store, deps.hasher, deps.tokens, actor, refresh_ttl=deps.refresh_ttl, enabled=deps.local_accounts,
        outbox=build_outbox(session, actor, deps, after_commit), link_base=deps.link_base,
        throttle=deps.login_throttle, revoker=deps.revoker, signup=deps.signup,
    )  # fmt: skip


def build_api_key_service(session: AsyncSession, actor: Actor) -> ApiKeyService:
    return ApiKeyService(SqlApiKeyStore(session, actor.tenant_id), actor)


def build_webhook_service(session: AsyncSession, redis: Any, after_commit: AfterCommit) -> WebhookService:
    """Provider webhooks: no actor (the signature authenticates), relayed to workers after commit."""
    return WebhookService(SqlWebhookStore(session), AfterCommitRelay(redis, after_commit))


def build_auth_config(deps: Runtime) -> AuthConfig:
    """How this server signs people in (no actor needed: the sign-in screens read it before anyone is in)."""
    return AuthConfig(
        mode=deps.auth_mode,
        local_accounts=deps.local_accounts,
        email_verification=deps.local_accounts,
        password_reset=deps.local_accounts,
    )


def build_lifecycle(
    connection: AsyncConnection,
    tenant_id: UUID,
    *,
    urls: Callable[[str], str] | None = None,
    policy: RetryPolicy | None = None,
) -> GenerationLifecycle:
    """A generation's run on a worker (the jobs adapter): claim, progress, complete, fail, retry, hand back;
    each step one atomic statement on `connection` (in autocommit: app.db.autocommit)."""
    return GenerationLifecycle(SqlLifecycle(connection, tenant_id, urls=urls), policy=policy)


def build_generation_reader(
    session: AsyncSession, tenant_id: UUID, *, urls: Callable[[str], str] | None = None
) -> SqlGenerationStore:
    """Generations of one tenant as the system reads them (no actor: workers announcing a state change)."""
    return SqlGenerationStore(session, tenant_id, urls=urls)


def build_sweeper(session: AsyncSession, *, urls: Callable[[str], str] | None = None) -> SqlSweeper:
    """Lease renewal and recovery across tenants (system work of the jobs adapter, no actor)."""
    return SqlSweeper(session, urls=urls)


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


async def take_expired_upload_keys(session: AsyncSession, *, grace_s: float, limit: int = 1000) -> list[str]:
    """Delete never-confirmed upload intents expired more than `grace_s` ago, across tenants (system work of
    the jobs adapter, no actor); their storage keys, whose objects must go too."""
    return await take_expired_uploads(session, grace_s=grace_s, limit=limit)


def build_directory(session: AsyncSession) -> SqlTenancyStore:
    """Tenant lookup and user provisioning (used by authentication and the CLI)."""
    return SqlTenancyStore(session)


class Services:
    """Every service for one actor and one unit of work (what a GraphQL request can touch), each built on
    first use: an operation usually touches one or two of them."""

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
