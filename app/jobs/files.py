"""The file deletion job: removes stored objects of deleted generations and boards, retried by SAQ."""

from __future__ import annotations

from typing import Any

from app.jobs.runner import WorkerRuntime
from app.platform.logging import get_logger
from app.storage import StorageError

log = get_logger("atelier.jobs.files")


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
