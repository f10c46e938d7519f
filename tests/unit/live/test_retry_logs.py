"""SAQ's failed-attempt log: one line with the reason while attempts remain, the traceback at the end."""

from __future__ import annotations

import logging
import sys

from redis.exceptions import ConnectionError as RedisConnectionError
from saq import Job

from app.jobs.logs import RetryLineFilter


def _record(job: Job) -> logging.LogRecord:
    try:
        raise ConnectionError("provider timed out")
    except ConnectionError:
        exc_info = sys.exc_info()
    return logging.LogRecord("saq", logging.ERROR, __file__, 1, "Error processing job %s", (job,), exc_info)


def test_a_retried_attempt_is_one_line_with_its_reason() -> None:
    record = _record(Job("run_generation", retries=3, attempts=1))
    assert RetryLineFilter().filter(record)
    assert record.exc_info is None and record.levelno == logging.WARNING
    assert record.getMessage() == (
        "job attempt 1/3 failed, retrying: ConnectionError: provider timed out (run_generation)"
    )


def test_the_last_attempt_keeps_its_traceback() -> None:
    record = _record(Job("run_generation", retries=3, attempts=3))
    assert RetryLineFilter().filter(record)
    assert record.exc_info is not None and record.levelno == logging.ERROR
    assert record.getMessage().startswith("Error processing job")


def test_upkeep_while_redis_is_down_is_one_line() -> None:
    try:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
    except RedisConnectionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "saq", logging.ERROR, __file__, 1, "Upkeep task failed unexpectedly", (), exc_info
    )
    assert RetryLineFilter().filter(record)
    assert record.exc_info is None and record.levelno == logging.WARNING
    assert "Redis unreachable: ConnectionError: Error 111" in record.getMessage()
