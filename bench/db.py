"""The benchmark's PostgreSQL and Valkey (throwaway embedded servers) and the SQL statement counter.

Statements are counted with pg_stat_statements, which must be preloaded. EmbeddedPostgres takes no extra
server settings, so the harness starts the cluster once, writes the setting with ALTER SYSTEM
(postgresql.auto.conf, inside the throwaway data directory), and restarts it. When any of that fails the
benchmark still runs and the SQL column shows "-".
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from app.embedded import EmbeddedPostgres, EmbeddedValkey

# Top-level statements of the app's database user, without pg_stat_statements' own queries. Transaction
# control (BEGIN/COMMIT/ROLLBACK) and other utility commands are not tracked (track_utility = off).
_COUNT_SQL = """
SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND query NOT ILIKE '%pg_stat_statements%'
"""
_DETAIL_SQL = r"""
SELECT calls, regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND query NOT ILIKE '%pg_stat_statements%'
ORDER BY calls DESC, query
"""


@dataclass
class Databases:
    postgres: EmbeddedPostgres
    valkey: EmbeddedValkey
    statements_enabled: bool

    @property
    def database_url(self) -> str:
        return self.postgres.url

    @property
    def dsn(self) -> str:
        return self.postgres.sync_dsn

    @property
    def redis_url(self) -> str:
        return self.valkey.url


def start_databases(root: Path, stack: ExitStack) -> Databases:
    """Start PostgreSQL (with pg_stat_statements when possible) and Valkey under root; stop them on exit."""
    postgres = EmbeddedPostgres(root / "postgres", persistent=False).stop_at_exit()
    stack.callback(postgres.stop)
    postgres.start()
    enabled = _enable_pg_stat_statements(postgres)
    valkey = EmbeddedValkey(root / "valkey", persistent=False).stop_at_exit()
    stack.callback(valkey.stop)
    valkey.start()
    return Databases(postgres, valkey, enabled)


def _enable_pg_stat_statements(postgres: EmbeddedPostgres) -> bool:
    async def configure() -> None:
        conn = await asyncpg.connect(postgres.sync_dsn)
        try:
            await conn.execute(
                "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'auto_explain'"
            )
            await conn.execute("ALTER SYSTEM SET pg_stat_statements.track_utility = off")
        finally:
            await conn.close()

    async def create_extension() -> None:
        conn = await asyncpg.connect(postgres.sync_dsn)
        try:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        finally:
            await conn.close()

    try:
        asyncio.run(configure())
        postgres.restart()
        asyncio.run(create_extension())
    except Exception as exc:  # the benchmark is still useful without the statement counts
        sys.stderr.write(f"bench: pg_stat_statements unavailable ({exc}); SQL/req will show '-'\n")
        if not postgres.running:
            postgres.start()
        return False
    return True


class StatementCounter:
    """Resets and reads pg_stat_statements around a few requests (one connection, opened once)."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._conn: asyncpg.Connection | None = None

    async def connect(self) -> None:
        self._conn = await asyncpg.connect(self._dsn)

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def reset(self) -> None:
        assert self._conn is not None
        await self._conn.execute("SELECT pg_stat_statements_reset()")

    async def count(self) -> int:
        assert self._conn is not None
        return int(await self._conn.fetchval(_COUNT_SQL))

    async def detail(self) -> list[tuple[int, str]]:
        """(calls, query text) of every statement since the reset, most frequent first."""
        assert self._conn is not None
        return [(int(calls), str(query)) for calls, query in await self._conn.fetch(_DETAIL_SQL)]
