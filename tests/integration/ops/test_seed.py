"""`python -m app seed` fills a demo tenant with users, boards and generations the offline generators really
ran (files in storage), and a second run adds nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import Servers

pytestmark = [pytest.mark.usefixtures("clean_db"), pytest.mark.slow]


def _seed(servers: Servers) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATELIER_DATABASE_URL": servers.database_url, "ATELIER_REDIS_URL": servers.redis_url,
           "ATELIER_DATA_DIR": str(servers.data_dir), "ATELIER_QUEUE_NAME": "seed-test"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "app", "seed"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


async def test_seed_makes_a_demo_tenant_with_real_files_once(servers: Servers, engine: AsyncEngine) -> None:
    first = await asyncio.to_thread(_seed, servers)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "5/5 new generations completed" in first.stdout, first.stdout
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT g.generator_name, g.status::text, g.storage_key FROM generations g "
                     "JOIN tenants t ON t.id = g.tenant_id WHERE t.slug = 'demo'")
            )
        ).all()  # fmt: skip
        admins = (
            await conn.execute(
                text("SELECT u.email FROM users u JOIN tenants t ON t.id = u.tenant_id "
                     "WHERE t.slug = 'demo' AND u.is_admin")
            )
        ).scalars().all()  # fmt: skip
    assert {name for name, _, _ in rows} == {"local-image", "local-text", "local-audio", "local-video"}
    assert {status for _, status, _ in rows} == {"completed"}
    for _, _, key in rows:
        assert key and (servers.data_dir / "storage" / key.split(":", 1)[-1]).stat().st_size > 0
    assert admins == ["ada@demo.test"]
    again = await asyncio.to_thread(_seed, servers)
    assert again.returncode == 0 and "0/0 new generations" in again.stdout, again.stdout
