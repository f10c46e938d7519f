"""Job functions. A job takes ids (JSON-serialisable, STYLE S7), never ORM objects.

Parameter names must not collide with SAQ Job fields (key, timeout, retries, ttl, …; STYLE S1).
"""

from __future__ import annotations

from typing import Any

from app.jobs.files import delete_stored_files, sweep_expired_uploads
from app.jobs.runner import run_generation


async def echo(ctx: dict[str, Any], *, payload: Any = None) -> Any:
    """A no-op round trip through the queue, used by readiness checks and benchmarks."""
    return payload


TASKS: list[Any] = [echo, run_generation, delete_stored_files, sweep_expired_uploads]
