"""Helpers for the TypeScript client's tests: the npm tools in clients/, and Atelier servers on real ports.

The hook tests (vitest) and the page test (Chromium) talk HTTP, so the app runs as `python -m app up` on a
free loopback port, on the suite's PostgreSQL (its own database) and Valkey (its own queue).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
CLIENTS = ROOT / "clients"
BIN = CLIENTS / "node_modules" / ".bin"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def require_node_tools() -> None:
    """Skip on a developer machine without clients/node_modules; in CI (`make test` installs them) fail."""
    if shutil.which("node") and (BIN / "vitest").exists():
        return
    message = (
        "node or clients/node_modules is missing: `make clients-install` (make test runs it) installs them"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def npm_tool(name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A tool from clients/node_modules/.bin (`node` itself for name="node"), run in clients/."""
    program = shutil.which("node") or "node" if name == "node" else str(BIN / name)
    return subprocess.run(
        [program, *args], cwd=CLIENTS, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0", **(env or {})},
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def atelier_servers(*configs: tuple[dict[str, str], Path]) -> Iterator[list[str]]:
    """`python -m app up` once per (ATELIER_* settings, log file), started together; yields their URLs once
    every /health answers, and stops them all."""
    started: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for env, log in configs:
            port = free_port()
            full = {**os.environ, **env, "ATELIER_PORT": str(port), "ATELIER_HOST": "127.0.0.1", "ATELIER_ENV": "test",
                    "ATELIER_RATE_LIMIT_USER_PER_MINUTE": "100000", "ATELIER_RATE_LIMIT_TENANT_PER_MINUTE": "100000"}  # fmt: skip
            with log.open("w") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "app", "up"], cwd=ROOT, env=full, stdout=out, stderr=out
                )
            started.append((process, f"http://127.0.0.1:{port}", log))
        for process, url, log in started:
            _wait_healthy(process, url, log)
        yield [url for _, url, _ in started]
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server not up after {timeout} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
