"""FileCleanup on SAQ: a retried job deletes stored objects after the deleting transaction commits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from app.platform.logging import get_logger

log = get_logger("atelier.jobs")
DELETE_FILES = "delete_stored_files"
DELETE_ATTEMPTS = 6


async def enqueue_file_deletion(queue: Any, locators: Sequence[str], *, retry_delay_s: float = 1.0) -> None:
    """Parameter name avoids SAQ's Job fields (STYLE S1): storage_keys, not keys."""
    await queue.enqueue(
        DELETE_FILES,
        timeout=300,
        retries=DELETE_ATTEMPTS,
        retry_delay=retry_delay_s,
        retry_backoff=True,
        storage_keys=list(locators),
    )


class QueueFileCleanup:
    """Implements app.domain.files.FileCleanup."""

    def __init__(self, queue: Any, after_commit: list[Callable[[], Awaitable[None]]]) -> None:
        self._queue = queue
        self._after_commit = after_commit

    def delete_after_commit(self, locators: Sequence[str]) -> None:
        if not locators:
            return
        if self._queue is None:
            log.warning("no queue configured; stored files are left behind", count=len(locators))
            return
        queue, keys = self._queue, list(locators)

        async def enqueue() -> None:
            await enqueue_file_deletion(queue, keys)

        self._after_commit.append(enqueue)
