"""A deployment of real, separate OS processes for fault injection: one PostgreSQL, one Valkey, one API
(`python -m app up --api-only`) and two workers (`python -m app up --worker-only`), each killable on its own.

Importable without pytest (`python -m tests.faults` reuses it). Every child's stdout and stderr go to files
under the deployment's directory; `tails()` prints their ends when something fails.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from app.embedded import EmbeddedPostgres, EmbeddedValkey, free_port
from app.platform import migrate

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60.0
DATABASE = "atelier_faults"
WORKER_SETTLE_S = 5.0
MAX_LINE = 600  # characters of a log line shown in a tail (tracebacks are one JSON line each)

# The knobs issue 13's implementation reads (unknown ATELIER_* variables are ignored by Settings).
KNOBS = {
    "ATELIER_ENV": "test",
    "ATELIER_AUTH": "none",
    "ATELIER_SWEEP_INTERVAL_SECONDS": "1",
    "ATELIER_SWEEP_PENDING_GRACE_SECONDS": "2",
    "ATELIER_LEASE_SECONDS": "5",  # renewed every 1.7 s: survives multi-second stalls on a loaded machine
    "ATELIER_WORKER_SHUTDOWN_GRACE_SECONDS": "3",
    "ATELIER_WORKER_CONCURRENCY": "60",
    "ATELIER_CREDITS_ENABLED": "true",
    "ATELIER_RATE_LIMIT_ENABLED": "false",
    "ATELIER_ACCESS_LOG": "false",
    "ATELIER_LOG_JSON": "true",
}
SHUTDOWN_GRACE_S = float(KNOBS["ATELIER_WORKER_SHUTDOWN_GRACE_SECONDS"])


def wait_until(predicate: object, timeout: float, what: str, interval: float = 0.05) -> None:
    """Poll `predicate()` until true; raise TimeoutError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


@dataclass
class AppProcess:
    """One `python -m app up …` child: started, SIGKILLed, SIGTERMed and started again on its own."""

    name: str
    args: list[str]
    env: dict[str, str]
    log_dir: Path
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0  # time.time() of the last start
    _offsets: tuple[int, int] = (0, 0)

    @property
    def stdout_path(self) -> Path:
        return self.log_dir / f"{self.name}.stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / f"{self.name}.stderr.log"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    @property
    def alive(self) -> bool:
        return self.pid is not None

    def start(self) -> None:
        if self.alive:
            return
        self._offsets = (_size(self.stdout_path), _size(self.stderr_path))
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app", "up", *self.args],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        self.started_at = time.time()

    def kill(self) -> None:
        """SIGKILL, and reap it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def terminate(self) -> None:
        """SIGTERM; returns at once (see `wait_exit`)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout: float) -> float | None:
        """Seconds until the process exited (from now), or None if it is still running after `timeout`."""
        if self.proc is None:
            return 0.0
        started = time.monotonic()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - started

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 15 s (clean-up, not a fault)."""
        self.terminate()
        if self.wait_exit(15.0) is None:
            self.kill()

    def output_since_start(self) -> str:
        """Everything the current run wrote to stdout and stderr."""
        return _read_from(self.stdout_path, self._offsets[0]) + _read_from(self.stderr_path, self._offsets[1])

    def tail(self, lines: int = 25) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            text = _last_lines(path, lines)
            parts.append(f"--- {path.name} (last {len(text)} lines)\n" + "\n".join(text))
        return "\n".join(parts)


class Postgres:
    """The embedded PostgreSQL, with an immediate stop (what `pg_ctl stop -m immediate` sends: SIGQUIT)."""

    def __init__(self, data_dir: Path) -> None:
        # durable (fsync, synchronous commits) as in production: an immediate stop must not lose committed rows
        self.server = EmbeddedPostgres(data_dir, persistent=True, log_path=data_dir.parent / "postgres.log")

    def start(self) -> None:
        self.server.start()

    def stop_immediately(self) -> None:
        """Immediate shutdown: no checkpoint, every backend dropped; crash recovery on the next start."""
        pid = self.server.pid
        if pid is None:
            return
        os.kill(pid, signal.SIGQUIT)
        wait_until(lambda: not self.server.running, 30.0, "postgres immediate shutdown")
        self.server.stop()  # forget the exited child

    def stop(self) -> None:
        self.server.stop()


class Valkey:
    """The embedded Valkey, in memory only: a restart after `kill()` starts EMPTY on the same port."""

    def __init__(self, data_dir: Path) -> None:
        self.server = EmbeddedValkey(data_dir, persistent=False)

    def start(self) -> None:
        self.server.start()

    def kill(self) -> None:
        pid = self.server.pid
        if pid is None:
            return
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not self.server.running, 10.0, "valkey SIGKILL")
        self.server.stop()

    def stop(self) -> None:
        self.server.stop()


@dataclass
class Deployment:
    """PostgreSQL + Valkey + one API + two workers on loopback, under one scratch directory in /tmp."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="atelier-faults-", dir="/tmp")))
    worker_count: int = 2

    def __post_init__(self) -> None:
        self.root.chmod(0o755)  # PostgreSQL runs as nobody when we are root
        self.data_dir = self.root / "data"
        self.storage_dir = self.data_dir / "storage"
        self.run_log = self.root / "runs.jsonl"
        self.queue_name = f"faults-{uuid.uuid4().hex[:8]}"
        self.postgres = Postgres(self.root / "postgres")
        self.valkey = Valkey(self.root / "valkey")
        self.api_port = free_port()
        self.api: AppProcess | None = None
        self.workers: list[AppProcess] = []
        self.quiet_since = 0.0  # time.time() when the last scenario saw all its generations terminal
        self.known_parts: set[Path] = set()  # *.part files an earlier scenario already reported

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def database_dsn(self) -> str:
        return self.postgres.server.dsn_for(DATABASE)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # INFRA.md: every process would recompile its imports
        return (
            env
            | KNOBS
            | {
                "ATELIER_DATABASE_URL": self.postgres.server.url_for(DATABASE),
                "ATELIER_REDIS_URL": self.valkey.server.url,
                "ATELIER_DATA_DIR": str(self.data_dir),
                "ATELIER_QUEUE_NAME": self.queue_name,
                "ATELIER_PORT": str(self.api_port),
                "ATELIER_TEST_RUN_LOG": str(self.run_log),
            }
        )

    def start(self) -> None:
        atexit.register(self.close)  # even when the caller never reaches close(): no server outlives us
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.run_log.touch()
        self.postgres.start()
        self.postgres.server.create_database(DATABASE)
        self.valkey.start()
        migrate.upgrade(self.postgres.server.url_for(DATABASE))
        env = self.env()
        self.api = AppProcess("api", ["--api-only"], env, self.root)
        self.workers = [
            AppProcess(f"worker{i}", ["--worker-only"], env, self.root) for i in range(self.worker_count)
        ]
        self.api.start()
        for worker in self.workers:  # one after the other: idle workers then take jobs in start order
            worker.start()
            self.wait_worker_ready(worker)
        self.wait_api_ready()

    def close(self) -> None:
        atexit.unregister(self.close)
        for process in (*self.workers, *([self.api] if self.api else [])):
            with contextlib.suppress(Exception):
                process.stop()
        for server in (self.valkey, self.postgres):
            with contextlib.suppress(Exception):
                server.stop()
        if os.path.ismount(self.storage_dir):
            subprocess.run(["umount", "-l", str(self.storage_dir)], check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            print(self.tails(), file=sys.stderr)
            self.close()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            print(self.tails(), file=sys.stderr)
        self.close()

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/ready", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_api_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        assert self.api is not None
        api = self.api
        wait_until(lambda: self.ready() or not api.alive, timeout, "API /ready", interval=0.1)
        if not api.alive:
            raise RuntimeError(f"the API exited during start-up:\n{api.tail()}")

    def wait_worker_ready(self, worker: AppProcess, timeout: float = READY_TIMEOUT_S) -> None:
        """Ready = it logged "worker started" and holds connections to Valkey (its job loops are waiting), or
        logged it WORKER_SETTLE_S ago (should a future worker share fewer connections)."""
        port = self.valkey.server.port
        logged_at: list[float] = []

        def ready() -> bool:
            if not worker.alive:
                raise RuntimeError(f"{worker.name} exited during start-up:\n{worker.tail()}")
            if not logged_at and "worker started" in worker.output_since_start():
                logged_at.append(time.monotonic())
            if not logged_at:
                return False
            return connections_to(worker.pid, port) >= 3 or time.monotonic() - logged_at[0] > WORKER_SETTLE_S

        wait_until(ready, timeout, f"{worker.name} ready", interval=0.1)

    def restart_worker(self, worker: AppProcess) -> None:
        if worker.alive:
            worker.stop()
        worker.start()
        self.wait_worker_ready(worker)

    def ensure_running(self) -> None:
        """Bring back whatever a previous scenario left down (servers first, then processes)."""
        self.postgres.start()
        self.valkey.start()
        assert self.api is not None
        if not self.api.alive:
            self.api.start()
        for worker in self.workers:
            if not worker.alive:
                worker.start()
        self.wait_api_ready()
        for worker in self.workers:
            self.wait_worker_ready(worker)

    def tails(self, lines: int = 25) -> str:
        sections = [f"=== deployment {self.root} (queue {self.queue_name})"]
        for process in (*([self.api] if self.api else []), *self.workers):
            state = f"pid {process.pid}" if process.alive else "not running"
            sections.append(f"=== {process.name} ({state})\n{process.tail(lines)}")
        for name, path in (("postgres", self.root / "postgres.log"), ("valkey", self.valkey.server.log_path)):
            text = _last_lines(path, lines)
            sections.append(f"=== {name} log\n" + "\n".join(text))
        return "\n".join(sections)


def connections_to(pid: int | None, port: int) -> int:
    """How many ESTABLISHED TCP connections process `pid` holds to 127.0.0.1:`port` (from /proc)."""
    if pid is None:
        return 0
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = str(fd.readlink())
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    count = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01" and fields[9] in inodes:
                count += 1
    return count


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _last_lines(path: Path, count: int) -> list[str]:
    """The last `count` lines, each cut at MAX_LINE characters, without alembic's start-up chatter."""
    lines = [line[:MAX_LINE] for line in _read_from(path, 0).splitlines() if '"alembic.' not in line]
    return lines[-count:]
