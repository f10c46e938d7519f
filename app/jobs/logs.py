"""Quieter SAQ logs: a failed attempt that will be retried is one line with its reason; the full
traceback is kept for the attempt that fails for good (SAQ logs every failed attempt with a traceback).
Upkeep timers failing because Redis is unreachable are one line each, too."""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import RedisError

SAQ_LOGGER = "saq"
_ERROR = "Error processing job %s"
_UPKEEP = "Upkeep task failed unexpectedly"


class RetryLineFilter(logging.Filter):
    """Rewrites SAQ's "Error processing job" record when the job still has attempts left."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == _UPKEEP and record.exc_info and isinstance(record.exc_info[1], OSError | RedisError):
            _one_line(record, "worker upkeep skipped, Redis unreachable: %s", (_reason(record.exc_info[1]),))
            return True  # every upkeep timer fails this way while Redis is down: no traceback each time
        if record.msg != _ERROR or not record.args or not record.exc_info:
            return True
        job: Any = record.args[0] if isinstance(record.args, tuple) else None
        if job is None or not getattr(job, "retryable", False):
            return True  # the last attempt: keep the traceback
        args = (job.attempts, job.retries, _reason(record.exc_info[1]), getattr(job, "function", "?"))
        _one_line(record, "job attempt %s/%s failed, retrying: %s (%s)", args)
        return True


def _reason(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _one_line(record: logging.LogRecord, msg: str, args: tuple[Any, ...]) -> None:
    record.msg, record.args = msg, args
    record.levelno, record.levelname = logging.WARNING, "WARNING"
    record.exc_info, record.exc_text = None, None


def quiet_retries() -> None:
    """Idempotent: install the filter on SAQ's logger once per process."""
    logger = logging.getLogger(SAQ_LOGGER)
    if not any(isinstance(f, RetryLineFilter) for f in logger.filters):
        logger.addFilter(RetryLineFilter())
