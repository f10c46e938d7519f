"""Use cases of people and their standing (accounts, API keys, users, members, credits, tenant and instance
administration), for one actor; identity changes are announced to every API process after commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.identity_changes import AfterCommitChanges
from app.contracts import AuthConfig
from app.db.stores.accounts import SqlAccountStore, SqlApiKeyStore
from app.db.stores.admin import SqlAdminStore
from app.db.stores.credits import SqlCreditStore
from app.db.stores.instance import SqlInstanceStore
from app.db.stores.mail import SqlOutbox
from app.db.stores.members import SqlMemberStore
from app.db.stores.users import SqlUserStore
from app.domain.accounts import AccountService, ApiKeyService
from app.domain.actor import Actor
from app.domain.admin import AdminService
from app.domain.credits import CreditService
from app.domain.members import MemberService
from app.domain.tenants import NOBODY, InstanceAdmins, TenantAdminService
from app.domain.users import UserService
from app.queue.mail import drain_after_commit
from app.wiring.runtime import AfterCommit, Runtime


def build_member_service(
    session: AsyncSession, actor: Actor, deps: Runtime | None = None, after_commit: AfterCommit | None = None
) -> MemberService:
    return MemberService(
        SqlMemberStore(session, actor.tenant_id),
        actor,
        outbox=build_outbox(session, actor, deps, after_commit),
        link_base=deps.link_base if deps else "",
    )


def build_outbox(
    session: AsyncSession, actor: Actor, deps: Runtime | None, after_commit: AfterCommit | None
) -> SqlOutbox:
    """Mail written in this unit of work; one drain job is queued after it commits."""
    return SqlOutbox(session, actor.tenant_id, drain_after_commit(deps.queue if deps else None, after_commit))


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


def build_auth_config(deps: Runtime) -> AuthConfig:
    """How this server signs people in (no actor needed: the sign-in screens read it before anyone is in)."""
    return AuthConfig(
        mode=deps.auth_mode,
        local_accounts=deps.local_accounts,
        email_verification=deps.local_accounts,
        password_reset=deps.local_accounts,
    )
