"""The embedded PostgreSQL and Valkey servers really start, persist, recover and stop.

Temp dirs live under /tmp with o+x because, as root, PostgreSQL runs as ``nobody``, which cannot
traverse pytest's 0700 ``tmp_path``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
import redis

from app.embedded import EmbeddedPostgres, EmbeddedServerError, EmbeddedValkey, free_port
from app.embedded._ports import pid_alive, port_is_open


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A world-traversable temp dir under /tmp, removed at the end of the module."""
    root = Path(tempfile.mkdtemp(prefix="atelier-embedded-", dir="/tmp"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pg(scratch: Path) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(scratch / "shared" / "pg", persistent=False)
    with server:
        yield server


async def _fetchval(dsn: str, sql: str) -> object:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def _execute(dsn: str, *statements: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


def _pids_working_in(directory: Path) -> list[int]:
    """Pids of live processes whose cwd is ``directory`` (postgres and its backends chdir to PGDATA)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "cwd").readlink() == directory:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _wait_until(predicate: object, timeout: float = 5.0) -> bool:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


# -- PostgreSQL -----------------------------------------------------------------------------------


def test_postgres_answers_select_1(pg: EmbeddedPostgres) -> None:
    assert pg.pid is not None and pid_alive(pg.pid)
    assert pg.url == f"postgresql+asyncpg://atelier@127.0.0.1:{pg.port}/atelier"
    assert pg.sync_dsn == f"postgresql://atelier@127.0.0.1:{pg.port}/atelier"
    assert (pg.bin_dir / "postgres").is_file()
    assert asyncio.run(_fetchval(pg.sync_dsn, "SELECT 1")) == 1
    assert asyncio.run(_fetchval(pg.sync_dsn, "SELECT current_user")) == "atelier"


def test_postgres_create_and_drop_database(pg: EmbeddedPostgres) -> None:
    pg.create_database("scratch db")
    assert pg.database_exists("scratch db")
    assert asyncio.run(_fetchval(pg.dsn_for("scratch db"), "SELECT current_database()")) == "scratch db"
    pg.drop_database("scratch db")
    pg.drop_database("scratch db")  # --if-exists: dropping twice is fine
    assert not pg.database_exists("scratch db")


def test_postgres_restart_keeps_data_and_port(scratch: Path) -> None:
    data_dir = scratch / "persist" / "pg"
    first = EmbeddedPostgres(data_dir)
    with first:
        port = first.port
        asyncio.run(_execute(first.sync_dsn, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('hi')"))
        first.restart()
        assert first.port == port
        assert asyncio.run(_fetchval(first.sync_dsn, "SELECT v FROM kept")) == "hi"
    assert first.pid is None
    assert _pids_working_in(data_dir) == []
    first.stop()  # idempotent

    # A new object on the same dir skips initdb and finds the table.
    with EmbeddedPostgres(data_dir, port=port) as second:
        assert asyncio.run(_fetchval(second.sync_dsn, "SELECT v FROM kept")) == "hi"


def test_postgres_recovers_from_kill_9(scratch: Path) -> None:
    data_dir = scratch / "killed" / "pg"
    victim = EmbeddedPostgres(data_dir, persistent=False)
    victim.start()
    old_pid = victim.pid
    assert old_pid is not None
    os.killpg(old_pid, signal.SIGKILL)  # postmaster and backends, as a crash or `kill -9` would
    victim.stop()  # reaps our dead child; must not raise
    assert not pid_alive(old_pid)
    assert (data_dir / "postmaster.pid").read_text().split("\n", 1)[0] == str(old_pid)
    assert _wait_until(lambda: _pids_working_in(data_dir) == [])

    with EmbeddedPostgres(data_dir, persistent=False) as again:
        assert again.pid != old_pid
        assert asyncio.run(_fetchval(again.sync_dsn, "SELECT 1")) == 1
        again.stop()

    # A pidfile naming a live process that is not a postgres on this dir (pid reuse) is stale too.
    (data_dir / "postmaster.pid").write_text(f"{os.getpid()}\n{data_dir}\n")
    with EmbeddedPostgres(data_dir, persistent=False) as third:
        assert asyncio.run(_fetchval(third.sync_dsn, "SELECT 1")) == 1


def test_postgres_refuses_a_data_dir_in_use(pg: EmbeddedPostgres) -> None:
    intruder = EmbeddedPostgres(pg.data_dir, persistent=False)
    with pytest.raises(EmbeddedServerError, match="already running"):
        intruder.start()
    assert intruder.pid is None
    assert asyncio.run(_fetchval(pg.sync_dsn, "SELECT 1")) == 1


def test_two_postgres_side_by_side(pg: EmbeddedPostgres, scratch: Path) -> None:
    with EmbeddedPostgres(scratch / "other" / "pg", persistent=False) as other:
        assert other.port != pg.port
        assert other.pid != pg.pid
        asyncio.run(_execute(pg.sync_dsn, "CREATE TABLE only_in_first (x int)"))
        exists = "SELECT to_regclass('only_in_first') IS NOT NULL"
        assert asyncio.run(_fetchval(pg.sync_dsn, exists)) is True
        assert asyncio.run(_fetchval(other.sync_dsn, exists)) is False
    assert not port_is_open("127.0.0.1", other.port)
    assert asyncio.run(_fetchval(pg.sync_dsn, "SELECT 1")) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="the nobody-traversal check only applies to root")
def test_postgres_names_an_untraversable_parent(scratch: Path) -> None:
    private = scratch / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    assert not stat.S_IMODE(private.stat().st_mode) & stat.S_IXOTH
    with pytest.raises(EmbeddedServerError, match=str(private)):
        EmbeddedPostgres(private / "pg").start()


# -- Valkey ---------------------------------------------------------------------------------------


def test_valkey_set_get_restart_stop(scratch: Path) -> None:
    server = EmbeddedValkey(scratch / "valkey", persistent=False)
    with server:
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
        port, old_pid = server.port, server.pid
        assert old_pid is not None
        client = redis.Redis.from_url(server.url, socket_timeout=2)
        try:
            assert client.ping() is True
            client.set("k", "v")
            assert client.get("k") == b"v"

            server.restart()
            assert server.port == port
            assert server.pid not in (None, old_pid)
            assert not pid_alive(old_pid)
            # Same client object reconnects on the same URL; in-memory data is gone.
            assert _wait_until(lambda: _ping_quietly(client))
            assert client.get("k") is None
            client.set("k", "again")
            assert client.get("k") == b"again"
        finally:
            client.close()
        last_pid = server.pid
        assert last_pid is not None
    assert not server.running
    assert not pid_alive(last_pid)
    assert not port_is_open("127.0.0.1", port)
    server.stop()  # idempotent


def test_valkey_persistent_keeps_data_across_restart(scratch: Path) -> None:
    with EmbeddedValkey(scratch / "valkey-aof", port=free_port()) as server:
        client = redis.Redis.from_url(server.url, socket_timeout=2)
        try:
            client.set("durable", "yes")
            server.restart()
            assert _wait_until(lambda: _ping_quietly(client))
            assert client.get("durable") == b"yes"
        finally:
            client.close()


def _ping_quietly(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False
