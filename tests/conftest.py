"""Session fixtures: a real PostgreSQL and a real Valkey on loopback (pip-shipped servers), the app on them.

Set ATELIER_DATABASE_URL and ATELIER_REDIS_URL to run against servers you already have instead; the
database must be empty or Atelier's (migrations run, tables are truncated between tests).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.embedded import EmbeddedPostgres, EmbeddedValkey
from app.platform import migrate
from app.server import create_app
from app.settings import Settings

TEST_DATABASE = "atelier_test"
KEEP_TABLES = {"tenants", "users", "alembic_version"}  # tenants are fixtures; users are cleaned below
OTHER_TENANT = "other"
AUTH_SECRET = "test-secret-" + "x" * 40


@dataclass(frozen=True)
class Servers:
    """URLs of the servers the suite runs on; `postgres` is set when the harness started it."""

    database_url: str
    redis_url: str
    data_dir: Path
    postgres: EmbeddedPostgres | None = None
    valkey: EmbeddedValkey | None = None


@pytest.fixture(scope="session")
def scratch_dir() -> Iterator[Path]:
    """A temp dir the `nobody` user can traverse (PostgreSQL runs as nobody when we are root)."""
    path = Path(tempfile.mkdtemp(prefix="atelier-test-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def servers(scratch_dir: Path) -> Iterator[Servers]:
    database_url = os.environ.get("ATELIER_DATABASE_URL")
    redis_url = os.environ.get("ATELIER_REDIS_URL")
    postgres = valkey = None
    if database_url is None:
        postgres = EmbeddedPostgres(scratch_dir / "postgres", persistent=False)
        postgres.start()
        postgres.create_database(TEST_DATABASE)
        database_url = postgres.url_for(TEST_DATABASE)
    if redis_url is None:
        valkey = EmbeddedValkey(scratch_dir / "valkey", persistent=False)
        valkey.start()
        redis_url = valkey.url
    try:
        migrate.upgrade(database_url)
        yield Servers(database_url, redis_url, scratch_dir / "data", postgres, valkey)
    finally:
        if valkey is not None:
            valkey.stop()
        if postgres is not None:
            postgres.stop()


@pytest.fixture(scope="session")
def embedded_postgres(servers: Servers) -> EmbeddedPostgres:
    """The harness's own PostgreSQL server, for tests that need extra databases (skips on external URLs)."""
    if servers.postgres is None:
        pytest.skip("needs the embedded PostgreSQL (ATELIER_DATABASE_URL points elsewhere)")
    return servers.postgres


@pytest.fixture(scope="session")
def settings(servers: Servers) -> Settings:
    return Settings(
        env="test",
        data_dir=servers.data_dir,
        database_url=servers.database_url,
        redis_url=servers.redis_url,
        access_log=False,
        worker_in_process=True,
        queue_name="atelier-test",
        worker_shutdown_grace_seconds=1.0,
        # the suite's one developer user makes every request of the suite: far more than a person a minute
        # (tests/ops/ and tests/security/ run their own apps with the production budgets)
        rate_limit_create_per_minute=100_000,
        rate_limit_read_per_minute=1_000_000,
        rate_limit_user_per_minute=1_000_000,
        rate_limit_tenant_per_minute=1_000_000,
        lease_seconds=15.0,  # a loaded CI machine can stall the shared event loop for seconds: no false takeovers
        # several apps with queues of their own share the suite's database, and a sweeper queues what it
        # recovers on ITS queue: under load a row of another app's queue may wait seconds for its worker
        sweep_pending_grace_seconds=30.0,
        # tests that watch a run's events see every progress report; coalescing (the default 0.25 s) is
        # tests/unit/jobs/test_progress_coalescing.py's, and the fault suite's processes run with it
        progress_interval_seconds=0.0,
    )


@asynccontextmanager
async def running(application: Litestar) -> AsyncIterator[Litestar]:
    """Run the app's lifespan in its own task: anyio's cancel scopes must exit in the task that entered
    them, and pytest-asyncio finalizes async fixtures in a different task."""
    started, stop = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with application.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(hold())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait([task, waiter], return_when=asyncio.FIRST_COMPLETED)
    if task.done():  # startup failed: surface its exception
        waiter.cancel()
        task.result()
    try:
        yield application
    finally:
        stop.set()
        await task


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[Litestar]:
    async with running(create_app(settings)) as application:
        yield application


@pytest.fixture(scope="session")
async def engine(servers: Servers) -> AsyncIterator[AsyncEngine]:
    """A separate engine for test housekeeping (never the app's pool, STYLE rule 10)."""
    eng = create_async_engine(servers.database_url, poolclass=NullPool)
    yield eng
    await eng.dispose()


@pytest.fixture
async def clean_db(engine: AsyncEngine) -> None:
    """Empty every content table before the test (fast: one TRUNCATE), keeping the tenants and the
    `none`-mode developer user (the app caches its id)."""
    for attempt in range(5):  # a job the previous test left running can deadlock the TRUNCATE: retry
        try:
            async with engine.begin() as conn:
                rows = await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
                tables = [name for (name,) in rows if name not in KEEP_TABLES]
                if tables:
                    await conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
                await conn.execute(text("DELETE FROM users WHERE auth_provider <> 'none'"))
            return
        except DBAPIError as error:
            if "deadlock" not in str(error).lower() or attempt == 4:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))


@pytest.fixture(scope="session")
async def other_tenant(engine: AsyncEngine) -> str:
    """A second tenant with the same kind of data as the default one (isolation tests)."""
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO tenants (name, slug) VALUES ('Other', :slug) ON CONFLICT (slug) DO NOTHING"),
            {"slug": OTHER_TENANT},
        )
    return OTHER_TENANT


@pytest.fixture(scope="session")
def local_settings(settings: Settings) -> Settings:
    """Local accounts with the tenant chosen by the X-Tenant header (default tenant when absent)."""
    return settings.model_copy(
        update={
            "auth": "local",
            "auth_secret": SecretStr(AUTH_SECRET),
            "tenant_mode": "header",
            "worker_in_process": False,
            "rate_limit_read_per_minute": 100_000,
            "rate_limit_user_per_minute": 100_000,
            "rate_limit_tenant_per_minute": 100_000,
            "login_throttling": False,  # tests/security/test_login_throttling.py runs its own app with it on
        }
    )


@pytest.fixture(scope="session")
async def local_app(local_settings: Settings, other_tenant: str) -> AsyncIterator[Litestar]:
    async with running(create_app(local_settings)) as application:
        yield application


@pytest.fixture
async def local_http(local_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the local-accounts app (clean database)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=local_app), base_url="http://atelier.test"
    ) as http:
        yield http


async def sign_up(
    http: httpx.AsyncClient, email: str, *, tenant: str | None = None, password: str = "correct horse 42"
) -> dict[str, object]:
    """Sign a user up; returns {"id", "email", "headers"} with the bearer (and tenant) headers to act as them."""
    headers = {"X-Tenant": tenant} if tenant else {}
    response = await http.post(
        "/api/v1/auth/signup", json={"email": email, "password": password}, headers=headers
    )
    assert response.status_code == 201, response.text
    session = response.json()
    return {
        "id": session["user"]["id"],
        "email": email,
        "session": session,
        "headers": {**headers, "Authorization": f"Bearer {session['accessToken']}"},
    }


@pytest.fixture
async def client(app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app's own event loop (httpx ASGITransport; STYLE G5)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://atelier.test") as http:
        yield http


async def seed_generations(
    engine: AsyncEngine, board_id: str, user_id: str, count: int, **values: object
) -> list[str]:
    """Completed generations inserted directly (running generators is the worker's job, not the API's)."""
    columns = {
        "generator_name": "local-image",
        "artifact_type": "image",
        "status": "completed",
        "progress": 1,
    }
    columns.update(values)
    async with engine.begin() as conn:
        tenant = (
            await conn.execute(text("SELECT tenant_id FROM boards WHERE id = :b"), {"b": board_id})
        ).scalar_one()
        rows = await conn.execute(
            text(
                "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status, progress,"
                " completed_at, input_params) SELECT :t, :b, :u, :g, CAST(:a AS artifact_type),"
                " CAST(:s AS generation_status), :p, CASE WHEN :s = 'completed' THEN now() END,"
                " jsonb_build_object('prompt', 'seed ' || n) FROM generate_series(1, :n) AS n RETURNING id"
            ),
            {"t": tenant, "b": board_id, "u": user_id, "g": columns["generator_name"], "a": columns["artifact_type"],
             "s": columns["status"], "p": columns["progress"], "n": count},
        )  # fmt: skip
        return [str(row[0]) for row in rows]


@pytest.fixture(params=["rest", "graphql"])
def api(request: pytest.FixtureRequest, client: httpx.AsyncClient) -> Any:
    """The same behaviour through both APIs: every test using it runs once per driver."""
    from tests.contract.drivers import GraphQLDriver, RestDriver

    return (RestDriver if request.param == "rest" else GraphQLDriver)(client)
