"""System work without an actor (the jobs and metrics adapters, provider webhooks): a run's lifecycle, the
sweeper, expired uploads, the mail outbox, the generation backlog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.db.stores import backlog, lifecycle, mail
from app.db.stores.files import take_expired_uploads
from app.db.stores.lifecycle import SqlLifecycle
from app.db.stores.sweeper import SqlSweeper
from app.db.stores.webhooks import SqlWebhookStore
from app.domain.generations.lifecycle import GenerationLifecycle, RetryPolicy
from app.domain.webhooks import WebhookService
from app.platform.events import AfterCommitRelay
from app.wiring.runtime import AfterCommit

generation_backlog = backlog.generation_backlog
LIVENESS_LOCK_CLASS = lifecycle.LIVENESS_LOCK_CLASS  # the advisory-lock namespace of worker presence locks
take_due_mail, mark_sent, mark_failed = mail.take_due_mail, mail.mark_sent, mail.mark_failed


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


def build_sweeper(session: AsyncSession, *, urls: Callable[[str], str] | None = None) -> SqlSweeper:
    """Lease renewal and recovery across tenants (system work of the jobs adapter, no actor)."""
    return SqlSweeper(session, urls=urls)


async def take_expired_upload_keys(session: AsyncSession, *, grace_s: float, limit: int = 1000) -> list[str]:
    """Delete never-confirmed upload intents expired more than `grace_s` ago, across tenants (system work of
    the jobs adapter, no actor); their storage keys, whose objects must go too."""
    return await take_expired_uploads(session, grace_s=grace_s, limit=limit)


def build_webhook_service(session: AsyncSession, redis: Any, after_commit: AfterCommit) -> WebhookService:
    """Provider webhooks: no actor (the signature authenticates), relayed to workers after commit."""
    return WebhookService(SqlWebhookStore(session), AfterCommitRelay(redis, after_commit))
