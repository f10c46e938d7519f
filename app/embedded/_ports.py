"""Loopback ports and child-process helpers shared by the embedded servers.

Everything here binds or connects to 127.0.0.1 only: the embedded servers are never meant to be
reachable from another machine.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be found, started or stopped."""


def free_port(host: str = LOOPBACK) -> int:
    """Return a TCP port that was free a moment ago on ``host``.

    The kernel picks it (bind to port 0); another process may still grab it before the caller binds,
    so callers that choose the port this way retry on "address in use".
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_open(host: str, port: int, timeout: float = 0.2) -> bool:
    """True when something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    """Block until ``host:port`` accepts TCP connections; raise TimeoutError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        if port_is_open(host, port):
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"nothing accepted connections on {host}:{port} within {timeout:.1f} s")
        time.sleep(0.02)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists (zombies included; EPERM means it exists)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def log_tail(path: Path, start: int = 0, max_bytes: int = 4000) -> str:
    """Last ``max_bytes`` of ``path`` written after byte offset ``start``, for error messages."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(start, size - max_bytes))
            return fh.read().decode("utf-8", errors="replace").strip()
    except OSError as exc:
        return f"<log {path} unreadable: {exc}>"


def stop_process(proc: subprocess.Popen[bytes], sig: signal.Signals, timeout: float) -> None:
    """Send ``sig`` to ``proc``, wait ``timeout`` s, then SIGKILL its whole process group.

    The servers are started with ``start_new_session=True``, so their pid is also their process
    group id: the SIGKILL fallback takes any worker children (e.g. postgres backends) with it.
    """
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
        return
    except subprocess.TimeoutExpired:
        logger.warning("pid %s ignored %s for %.1f s; sending SIGKILL", proc.pid, sig.name, timeout)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait(timeout=10)
