"""Use cases of boards and what is made on them (generations, batches, uploads, likes, tags, search), for one
actor: every store is built with the actor's tenant, which is how tenant scoping reaches every query."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.stores.batches import SqlBatchStore
from app.db.stores.boards import SqlBoardQueries
from app.db.stores.direct_uploads import SqlUploadIntentStore, accepting_bytes
from app.db.stores.files import SqlFileKeys
from app.db.stores.generations import SqlGenerationStore, SqlGenerationWriter
from app.db.stores.likes import SqlLikeStore
from app.db.stores.search import SqlSavedViewStore, SqlSearchStore
from app.db.stores.tags import SqlTagStore
from app.db.stores.uploads import SqlUploadStore
from app.domain.actor import Actor
from app.domain.boards import BoardService
from app.domain.direct_uploads import DirectUploadService
from app.domain.files import KeepFiles
from app.domain.generations import GenerationRunner, GenerationService
from app.domain.generations.batches import BatchRunner
from app.domain.likes import LikeService
from app.domain.limits import MAX_JSON_FIELD_BYTES
from app.domain.search import SavedViewService, SearchService
from app.domain.tags import TagService
from app.domain.uploads import UploadService
from app.media import PillowImages
from app.net import AddressGuard, SafeFetcher
from app.platform.events import PublishAfterCommit
from app.queue.dispatcher import QueueDispatcher
from app.queue.files import QueueFileCleanup
from app.storage.artifacts import StorageArtifacts
from app.wiring.people import build_credit_service
from app.wiring.runtime import AfterCommit, Runtime


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


def build_like_service(session: AsyncSession, actor: Actor, runtime: Runtime) -> LikeService:
    store = SqlLikeStore(session, actor.tenant_id, urls=runtime.storage.signed_url)
    return LikeService(store, SqlGenerationStore(session, actor.tenant_id), actor)


def build_tag_service(session: AsyncSession, actor: Actor) -> TagService:
    return TagService(
        SqlTagStore(session, actor.tenant_id), SqlGenerationStore(session, actor.tenant_id), actor
    )


def build_search_service(session: AsyncSession, actor: Actor, runtime: Runtime) -> SearchService:
    return SearchService(SqlSearchStore(session, actor.tenant_id, urls=runtime.storage.signed_url), actor)


def build_saved_view_service(session: AsyncSession, actor: Actor) -> SavedViewService:
    return SavedViewService(SqlSavedViewStore(session, actor.tenant_id), actor)
