"""The API under test: one uvicorn process (no reload, no workers) configured as in production, and its CPU.

One process means /proc/<pid>/stat's utime + stime is exactly the CPU the API spent (all its threads),
with nothing hidden in worker processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.embedded import free_port

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 180.0  # a loaded shared machine has taken over 60 s to import and start the app
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def production_env(*, database_url: str, redis_url: str, secret: str, data_dir: Path) -> dict[str, str]:
    """The API's settings: production mode, local tokens, no access log, no IDE, no rate limits, no worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env |= {
        "ATELIER_ENV": "production",
        "ATELIER_DATABASE_URL": database_url,
        "ATELIER_REDIS_URL": redis_url,
        "ATELIER_DATA_DIR": str(data_dir),
        "ATELIER_AUTH": "local",
        "ATELIER_AUTH_SECRET": secret,
        "ATELIER_ACCESS_TOKEN_TTL_SECONDS": "86400",
        "ATELIER_ACCESS_LOG": "false",
        "ATELIER_LOG_LEVEL": "WARNING",
        "ATELIER_WORKER_IN_PROCESS": "false",
        "ATELIER_RATE_LIMIT_ENABLED": "false",
        "ATELIER_GRAPHQL_IDE": "false",
        "ATELIER_DATABASE_ECHO": "false",
    }
    return env


@dataclass
class ApiServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """utime + stime of the server process (every thread), in seconds."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": fields[0] is the state (field 3)
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Return once the server spends (almost) no CPU: requests wrk left in flight are finished.

        wrk stops after its duration, but requests it already sent keep the server busy for a while (up to
        one per connection); measuring CPU or SQL before they drain would charge them to the next step.
        """
        deadline = time.monotonic() + timeout
        last = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.cpu_seconds()
            if now - last <= 1.5 / CLOCK_TICKS:  # at most one clock tick in 250 ms
                return
            last = now

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_api(env: dict[str, str], log_path: Path, *, cwd: Path | None = None) -> ApiServer:
    """Start uvicorn on a free loopback port and wait until /ready answers 200 (the app imported from `cwd`,
    this checkout by default: bench.fanout_ab runs another checkout's API beside it)."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "uvicorn", "app.server:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            cmd, cwd=cwd or ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    server = ApiServer(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + READY_TIMEOUT_S
    with httpx.Client(base_url=server.base_url, timeout=2.0) as http:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited with code {process.returncode}:\n{server.log_tail()}")
            try:
                if http.get("/ready").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"the API was not ready within {READY_TIMEOUT_S:.0f} s:\n{server.log_tail()}"
                )
            time.sleep(0.1)
