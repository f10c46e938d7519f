"""The file deletion job: removes stored objects of deleted generations and boards, retried by SAQ."""

from __future__ import annotations

from typing import Any

from app.jobs.runtime import WorkerRuntime
from app.platform.logging import get_logger
from app.queue.files import enqueue_file_deletion
from app.storage import StorageError
from app.wiring import take_expired_upload_keys

log = get_logger("atelier.jobs.files")
EXPIRED_UPLOAD_GRACE_S = 600.0  # a client may confirm a little after its upload URL expired


async def delete_stored_files(ctx: dict[str, Any], *, storage_keys: list[str]) -> int:
    """Delete every object; if any delete fails, raise so SAQ retries the job (deleting twice is harmless).

    Returns how many objects were deleted. Invalid keys are logged and skipped (retrying cannot fix them).
    """
    runtime: WorkerRuntime = ctx["atelier"]
    failed: list[str] = []
    for locator in storage_keys:
        try:
            await runtime.storage.delete(locator)
        except ValueError:
            log.warning("skipping an invalid storage key", key=locator)
        except Exception as error:
            log.warning("could not delete a stored file; the job will retry", key=locator, error=str(error))
            failed.append(locator)
    if failed:
        raise StorageError(f"{len(failed)} of {len(storage_keys)} files could not be deleted")
    return len(storage_keys)


async def sweep_expired_uploads(ctx: dict[str, Any]) -> int:
    """Cron: forget direct uploads never confirmed in time and delete whatever bytes they left in storage."""
    runtime: WorkerRuntime = ctx["atelier"]
    async with runtime.sessions() as session:
        keys = await take_expired_upload_keys(session, grace_s=EXPIRED_UPLOAD_GRACE_S)
        await session.commit()
    if keys:
        await enqueue_file_deletion(ctx["worker"].queue, keys)
        log.info("expired uploads swept", count=len(keys))
    return len(keys)
