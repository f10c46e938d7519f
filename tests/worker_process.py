"""A separate `python -m app up --worker-only` process for a test, never left behind: if it does not
announce itself in time it is killed before the failure propagates (one that started slowly under load once
ran on for hours after its test had failed)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def start_worker(env: dict[str, str], log: Path, within_s: float = 30.0) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:  # the child keeps its own descriptor
        worker = subprocess.Popen(
            [sys.executable, "-m", "app", "up", "--worker-only"], env=env, stdout=handle, stderr=handle
        )
    deadline = time.monotonic() + within_s
    try:
        while b"worker started" not in log.read_bytes():
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    except BaseException:
        worker.kill()
        worker.wait(timeout=10)
        raise
    return worker
