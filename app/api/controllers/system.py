"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

CHECK_TIMEOUT_S = 2.0


class SystemController(Controller):
    tags = ["System"]
    opt = {"exclude_from_auth": True}

    @get("/health", operation_id="Health", summary="Liveness: the process answers", cache_control=None)
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        operation_id="Ready",
        summary="Readiness: PostgreSQL and Redis answer and local storage takes writes (503 otherwise)",
    )
    async def ready(self, db_engine: NamedDependency[AsyncEngine], state: State) -> Response[dict[str, Any]]:
        checks = {
            "database": await _check(_ping_database(db_engine)),
            "redis": await _check(_ping_redis(state.redis)),
            "storage": await asyncio.to_thread(
                state.runtime.storage.local_health, state.settings.storage_min_free_bytes
            ),
        }
        ok = all(value == "ok" for value in checks.values())
        return Response(
            {"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503
        )


async def _ping_database(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _ping_redis(redis: Redis) -> None:
    await redis.ping()


async def _check(probe: Any) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_S)
    except Exception as exc:  # a probe reports, it never raises
        return f"error: {type(exc).__name__}"
    return "ok"
