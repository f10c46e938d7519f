"""The generation backlog across every tenant, for metrics (like the sweeper: a system read, no actor)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_BACKLOG = text(
    """
    SELECT status::text, count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)
    FROM generations WHERE status IN ('pending', 'processing') GROUP BY status
    """
)  # ix_generations_status_heartbeat serves the status filter


async def generation_backlog(engine: AsyncEngine) -> dict[str, tuple[int, float]]:
    """{status: (count, age in seconds of the oldest)} for pending and processing generations."""
    async with engine.connect() as conn:
        rows = (await conn.execute(_BACKLOG)).all()
    found = {str(status): (int(count), float(age)) for status, count, age in rows}
    return {status: found.get(status, (0, 0.0)) for status in ("pending", "processing")}
