"""A real PostgreSQL server run from pip-shipped (or system) binaries, on loopback only.

Used by the test harness (throwaway clusters), the codegen (a scratch database) and ``make run``
(a persistent dev cluster). The server is started as a direct child (``postgres -D``) so we know its pid
and can stop it ourselves, instead of trusting ``pg_ctl`` to find it again.

Running as root: PostgreSQL refuses to, so every server-side binary runs as ``nobody`` through
``setpriv`` and the data directory is chowned to ``nobody``. That user must be able to traverse every
parent of the data directory: pytest's 0700 ``tmp_path`` and ``/root`` are not traversable, so pass a
directory under ``/tmp`` or a project ``data/`` directory. Parents this class creates get ``o+x``; an
existing parent that ``nobody`` cannot traverse is reported by name.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import quote

from app.embedded._pg_host import (
    check_traversable,
    chown_tree,
    find_pg_bin_dir,
    mkdirs_traversable,
    proc_cwd,
    proc_name,
    run_as_ids,
)
from app.embedded._ports import (
    LOOPBACK,
    EmbeddedServerError,
    free_port,
    log_tail,
    pid_alive,
    stop_process,
)

logger = logging.getLogger(__name__)

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
_PORT_RETRIES = 3
_CLIENT_TIMEOUT = 30.0


class EmbeddedPostgres:
    """One PostgreSQL cluster in ``data_dir``, served on ``127.0.0.1:port`` with trust auth.

    The cluster is created on first start (``initdb`` only when ``PG_VERSION`` is missing) and reused
    afterwards. ``persistent=False`` turns off fsync and friends: fast, but a crash may corrupt the
    cluster, which is fine for throwaway test and codegen databases. The data directory is never
    deleted by this class.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        user: str = "atelier",
        database: str = "atelier",
        persistent: bool = True,
        log_path: Path | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.user = user
        self.database = database
        self.persistent = persistent
        self.log_path = Path(log_path).expanduser().absolute() if log_path else self.data_dir / "postgres.log"
        self._requested_port = port
        self._port = port
        self._bin_dir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._atexit_registered = False

    # -- properties -------------------------------------------------------------------------------

    @property
    def bin_dir(self) -> Path:
        """Directory of the PostgreSQL binaries in use (resolved lazily, then cached)."""
        if self._bin_dir is None:
            self._bin_dir = find_pg_bin_dir()
        return self._bin_dir

    @property
    def port(self) -> int:
        """TCP port on 127.0.0.1; chosen on first start when not given, then kept for restarts."""
        if self._port is None:
            raise EmbeddedServerError("port is not known before the first start() when none was given")
        return self._port

    @property
    def pid(self) -> int | None:
        """Pid of the postmaster we started, or None when it is not running."""
        if self._proc is None or self._proc.poll() is not None:
            return None
        return self._proc.pid

    @property
    def running(self) -> bool:
        """True while the server we started is alive."""
        return self.pid is not None

    @property
    def url(self) -> str:
        """SQLAlchemy async URL of the default database."""
        return self.url_for(self.database)

    @property
    def sync_dsn(self) -> str:
        """libpq DSN of the default database (psql, psycopg, SAQ's Postgres queue)."""
        return self.dsn_for(self.database)

    def url_for(self, database: str) -> str:
        """SQLAlchemy async URL of another database on this server (name percent-quoted)."""
        return "postgresql+asyncpg" + self.dsn_for(database).removeprefix("postgresql")

    def dsn_for(self, database: str) -> str:
        """libpq DSN of another database on this server (name percent-quoted)."""
        return f"postgresql://{quote(self.user, safe='')}@{LOOPBACK}:{self.port}/{quote(database, safe='')}"

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        """Initialise the cluster if needed, start the server, wait until it accepts connections."""
        if self.running:
            return
        as_root = os.geteuid() == 0
        ids = run_as_ids() if as_root else None
        self._prepare_data_dir(ids)
        self._clear_stale_pidfile()
        if not (self.data_dir / "PG_VERSION").is_file():
            self._initdb()
        if ids is not None:
            chown_tree(self.data_dir, *ids)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)

        for attempt in range(1, _PORT_RETRIES + 1):
            if self._port is None:
                self._port = free_port()
            try:
                self._spawn_and_wait()
                break
            except _PortInUseError:
                if self._requested_port is not None or attempt == _PORT_RETRIES:
                    raise EmbeddedServerError(f"port {self._port} is already in use") from None
                logger.info("port %s was taken before postgres bound it; retrying", self._port)
                self._port = None
        try:
            if self.database != "postgres" and not self.database_exists(self.database):
                self.create_database(self.database)
        except BaseException:
            self.stop()  # the caller's `with` never reaches __exit__ when start() raises
            raise
        logger.info("postgres pid %s ready on %s:%s (%s)", self.pid, LOOPBACK, self._port, self.data_dir)

    def stop(self) -> None:
        """Fast shutdown (SIGINT) of the server we started; SIGKILL after 10 s. Safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        stop_process(proc, signal.SIGINT, STOP_TIMEOUT)
        logger.info("postgres pid %s stopped (%s)", proc.pid, self.data_dir)

    def restart(self) -> None:
        """Stop and start again on the same port and data directory."""
        self.stop()
        self.start()

    def stop_at_exit(self) -> Self:
        """Also stop this server when the interpreter exits (e.g. ``make run`` interrupted)."""
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        return self

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedPostgres(data_dir={str(self.data_dir)!r}, port={self._port}, pid={self.pid})"

    # -- databases --------------------------------------------------------------------------------

    def database_exists(self, name: str) -> bool:
        """True when database ``name`` exists on the running server."""
        out = self._client(
            "psql",
            "-d",
            "postgres",
            "-tAX",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"name={name}",
            input_sql="SELECT 1 FROM pg_database WHERE datname = :'name';",
        )
        return out.strip() == "1"

    def create_database(self, name: str, *, template: str | None = None) -> None:
        """Create database ``name`` owned by our user (optionally as a copy of ``template``)."""
        args = ["createdb", "-O", self.user]
        if template is not None:
            args += ["-T", template]
        self._client(*args, "--", name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, disconnecting its sessions first."""
        self._client("dropdb", "--if-exists", "--force", "--", name)

    # -- internals --------------------------------------------------------------------------------

    def _server_cmd(self, binary: str, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / binary), *args]
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                raise EmbeddedServerError("running PostgreSQL as root needs `setpriv` (util-linux) on PATH")
            uid, gid = run_as_ids()
            cmd = [setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--", *cmd]
        return cmd

    @staticmethod
    def _env() -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        return env

    def _prepare_data_dir(self, ids: tuple[int, int] | None) -> None:
        if ids is None:
            self.data_dir.parent.mkdir(parents=True, exist_ok=True)
            if not self.data_dir.exists():
                self.data_dir.mkdir(mode=0o700)
            return
        mkdirs_traversable(self.data_dir)
        if not self.data_dir.exists():
            self.data_dir.mkdir(mode=0o700)
        check_traversable(self.data_dir, *ids, what="data directory")
        check_traversable(self.bin_dir / "postgres", *ids, what="postgres binary")
        if not (self.data_dir / "PG_VERSION").is_file():
            # initdb (running as nobody) must own the still-empty directory to fix its mode and fill it.
            os.chown(self.data_dir, *ids)

    def _initdb(self) -> None:
        if any(self.data_dir.iterdir()):
            raise EmbeddedServerError(
                f"{self.data_dir} is not empty but has no PG_VERSION: not a PostgreSQL cluster; "
                "remove it or pick another directory"
            )
        args = [
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            self.user,
            "--encoding=UTF8",
            "--locale=C",
            "--no-instructions",
        ]
        if not self.persistent:
            args.append("--no-sync")
        started = time.monotonic()
        result = subprocess.run(
            self._server_cmd("initdb", *args),
            cwd="/",
            env=self._env(),
            capture_output=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode("utf-8", errors="replace").strip()
            raise EmbeddedServerError(
                f"initdb failed for {self.data_dir} (exit {result.returncode}):\n{output}"
            )
        logger.info("initdb %s took %.2f s", self.data_dir, time.monotonic() - started)

    def _clear_stale_pidfile(self) -> None:
        """Remove postmaster.pid left by a killed server; refuse if a live postgres still owns the dir."""
        pidfile = self.data_dir / "postmaster.pid"
        try:
            first_line = pidfile.read_text().split("\n", 1)[0].strip()
        except FileNotFoundError:
            return
        old_pid = int(first_line) if first_line.isdigit() else 0
        if pid_alive(old_pid):
            cwd = proc_cwd(old_pid)
            same_dir = cwd is not None and cwd.resolve() == self.data_dir.resolve()
            if same_dir or (cwd is None and proc_name(old_pid) == "postgres"):
                raise EmbeddedServerError(
                    f"a PostgreSQL server (pid {old_pid}) is already running on {self.data_dir}; stop it "
                    f"first (kill -INT {old_pid}) or use another data directory"
                )
        logger.warning("removing stale %s (pid %s is not a postgres on this dir)", pidfile, old_pid or "?")
        pidfile.unlink(missing_ok=True)

    def _spawn_and_wait(self) -> None:
        port = self.port
        settings = {
            "listen_addresses": LOOPBACK,
            "unix_socket_directories": "",
            "shared_buffers": "64MB",
            "max_connections": "200",
        }
        if not self.persistent:
            settings |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        args = ["-D", str(self.data_dir), "-p", str(port)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        with self.log_path.open("ab") as log:
            log_start = log.tell()
            proc = subprocess.Popen(
                self._server_cmd("postgres", *args),
                cwd="/",
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._proc = proc
        try:
            self._wait_ready(proc, log_start)
        except BaseException:
            self._proc = None
            stop_process(proc, signal.SIGINT, STOP_TIMEOUT)
            raise

    def _wait_ready(self, proc: subprocess.Popen[bytes], log_start: int) -> None:
        """Poll postmaster.pid until it names our pid with status "ready" (what ``pg_ctl -w`` does)."""
        pidfile = self.data_dir / "postmaster.pid"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            code = proc.poll()
            if code is not None:
                tail = log_tail(self.log_path, log_start)
                if "Address already in use" in tail:
                    raise _PortInUseError
                raise EmbeddedServerError(
                    f"postgres exited with code {code} during startup ({self.data_dir}); "
                    f"log {self.log_path}:\n{tail}"
                )
            with contextlib.suppress(OSError):
                lines = pidfile.read_text().split("\n")
                if len(lines) > 7 and lines[0].strip() == str(proc.pid) and lines[7].strip() == "ready":
                    return
            if time.monotonic() >= deadline:
                raise EmbeddedServerError(
                    f"postgres did not become ready within {START_TIMEOUT:.0f} s ({self.data_dir}); "
                    f"log {self.log_path}:\n{log_tail(self.log_path, log_start)}"
                )
            time.sleep(0.02)

    def _client(self, binary: str, *args: str, input_sql: str | None = None) -> str:
        """Run a client binary (psql, createdb, dropdb) over TCP as our superuser; return stdout."""
        if not self.running:
            raise EmbeddedServerError(f"postgres on {self.data_dir} is not running")
        cmd = [str(self.bin_dir / binary), "-h", LOOPBACK, "-p", str(self.port), "-U", self.user, "-w", *args]
        result = subprocess.run(
            cmd,
            cwd="/",
            env=self._env(),
            input=input_sql.encode() if input_sql is not None else None,
            capture_output=True,
            timeout=_CLIENT_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            err = result.stderr.decode("utf-8", errors="replace").strip()
            raise EmbeddedServerError(f"{binary} {' '.join(args)} failed (exit {result.returncode}): {err}")
        return result.stdout.decode("utf-8", errors="replace")


class _PortInUseError(Exception):
    """Internal: the chosen port was taken between free_port() and postgres binding it."""


__all__ = ["EmbeddedPostgres", "find_pg_bin_dir"]
