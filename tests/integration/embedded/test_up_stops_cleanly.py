"""`python -m app up` stopped by SIGTERM (a service manager, `kill`) stops its embedded servers too."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.embedded import free_port


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """A directory `nobody` can traverse (PostgreSQL runs as nobody when we are root; pytest's is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="atelier-up-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_sigterm_stops_the_api_and_both_embedded_servers(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env |= {
        "ATELIER_DATA_DIR": str(tmp_path / "data"),
        "ATELIER_PORT": str(port),
        "ATELIER_LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / "up.log").open("wb")
    up = subprocess.Popen([sys.executable, "-m", "app", "up"], env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert up.poll() is None, (tmp_path / "up.log").read_text()
            time.sleep(0.3)
        servers = json.loads((tmp_path / "data" / "run" / "servers.json").read_text())
        pids = [int(entry["pid"]) for entry in servers.values()]
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)

        up.send_signal(signal.SIGTERM)
        # SAQ's Worker.stop waits for its upkeep loops to wake from their sleeps (up to the longest timer,
        # the 15 s queue sweep) before it returns: about 16 s on a quiet machine, more on a loaded one
        up.wait(timeout=60)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in pids), "embedded servers outlived `app up`"
    finally:
        if up.poll() is None:
            up.kill()
            up.wait()  # reaped here, not reported by a later test as a still-running subprocess
        log.close()
