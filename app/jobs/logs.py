"""Quieter SAQ logs: a failed attempt that will be retried is one line with its reason; the full
traceback is kept for the attempt that fails for good (SAQ logs every failed attempt with a traceback)."""

from __future__ import annotations

import logging
from typing import Any

SAQ_LOGGER = "saq"
_ERROR = "Error processing job %s"


class RetryLineFilter(logging.Filter):
    """Rewrites SAQ's "Error processing job" record when the job still has attempts left."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != _ERROR or not record.args or not record.exc_info:
            return True
        job: Any = record.args[0] if isinstance(record.args, tuple) else None
        if job is None or not getattr(job, "retryable", False):
            return True  # the last attempt: keep the traceback
        error = record.exc_info[1]
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        record.msg = "job attempt %s/%s failed, retrying: %s (%s)"
        record.args = (job.attempts, job.retries, reason, getattr(job, "function", "?"))
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text = None, None
        return True


def quiet_retries() -> None:
    """Idempotent: install the filter on SAQ's logger once per process."""
    logger = logging.getLogger(SAQ_LOGGER)
    if not any(isinstance(f, RetryLineFilter) for f in logger.filters):
        logger.addFilter(RetryLineFilter())
