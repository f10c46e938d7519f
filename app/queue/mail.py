"""Mail on SAQ: after a unit of work that wrote to the outbox commits, one drain job is queued."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.platform.logging import get_logger

log = get_logger("atelier.mail")
DRAIN_MAIL = "drain_mail_outbox"


async def enqueue_mail_drain(queue: Any) -> None:
    await queue.enqueue(DRAIN_MAIL, timeout=120, retries=3, retry_delay=5.0, retry_backoff=True)


def drain_after_commit(
    queue: Any, after_commit: list[Callable[[], Awaitable[None]]] | None
) -> Callable[[], None]:
    """A callback for SqlOutbox: queue one drain after commit (the minutely cron catches a lost one)."""
    requested = False

    def request() -> None:
        nonlocal requested
        if requested or queue is None or after_commit is None:
            return
        requested = True

        async def enqueue() -> None:
            try:
                await enqueue_mail_drain(queue)
            except Exception as error:  # the mail is safe in the outbox; the cron sends it
                log.warning("could not queue the mail drain; the cron will", error=str(error))

        after_commit.append(enqueue)

    return request
