"""The embedded default: PostgreSQL and Valkey from pip-shipped servers under the data directory.

`python -m app up` starts whichever of the two has no URL in settings and records them in
<data_dir>/run/servers.json, so other processes (`make worker`, `python -m app database …`) attach to them.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from app.embedded import EmbeddedPostgres, EmbeddedValkey
from app.platform.logging import get_logger
from app.settings import Settings

log = get_logger("atelier.embedded")


def runtime_file(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "run" / "servers.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_runtime(settings: Settings) -> dict[str, Any]:
    path = runtime_file(settings)
    try:
        data: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {
        name: entry for name, entry in data.items() if isinstance(entry, dict) and _alive(int(entry["pid"]))
    }


def _stop_orphans(settings: Settings, running: dict[str, Any]) -> dict[str, Any]:
    """Servers whose `up` process died (kill -9) are ours to stop: stop them so a fresh start can own them."""
    kept: dict[str, Any] = {}
    for name, entry in running.items():
        owner = int(entry.get("owner", 0))
        if owner and _alive(owner):
            kept[name] = entry
            continue
        pid = int(entry["pid"])
        log.warning("stopping orphaned embedded server", server=name, pid=pid)
        os.kill(pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
        deadline = time.monotonic() + 15
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    return kept


def attach_embedded(settings: Settings) -> Settings:
    """Fill unset URLs from the running embedded servers; explain what to do when there are none."""
    if settings.database_url and settings.redis_url:
        return settings
    running = _read_runtime(settings)
    updates: dict[str, Any] = {}
    if not settings.database_url and "postgres" in running:
        updates["database_url"] = running["postgres"]["url"]
    if not settings.redis_url and "redis" in running:
        updates["redis_url"] = running["redis"]["url"]
    settings = settings.model_copy(update=updates)
    if not (settings.database_url and settings.redis_url):
        raise RuntimeError(
            "no database/redis: set ATELIER_DATABASE_URL and ATELIER_REDIS_URL, "
            "or start the embedded default with `make run` (python -m app up)"
        )
    return settings


@contextmanager
def embedded_servers(settings: Settings) -> Iterator[Settings]:
    """Start the embedded servers settings lack (or attach to running ones); stop what we started on exit."""
    running = _stop_orphans(settings, _read_runtime(settings))
    data_dir = settings.data_dir.resolve()
    updates: dict[str, Any] = {}
    record: dict[str, Any] = dict(running)
    with ExitStack() as stack:
        if not settings.database_url:
            if "postgres" in running:
                updates["database_url"] = running["postgres"]["url"]
            else:
                pg = stack.enter_context(EmbeddedPostgres(data_dir / "postgres", persistent=True))
                updates["database_url"] = pg.url
                record["postgres"] = {"url": pg.url, "pid": pg.pid, "port": pg.port, "owner": os.getpid()}
                log.info("embedded postgres started", port=pg.port, data_dir=str(data_dir / "postgres"))
        if not settings.redis_url:
            if "redis" in running:
                updates["redis_url"] = running["redis"]["url"]
            else:
                valkey = stack.enter_context(EmbeddedValkey(data_dir / "valkey", persistent=True))
                updates["redis_url"] = valkey.url
                record["redis"] = {
                    "url": valkey.url,
                    "pid": valkey.pid,
                    "port": valkey.port,
                    "owner": os.getpid(),
                }
                log.info("embedded valkey started", port=valkey.port, data_dir=str(data_dir / "valkey"))
        if record != running:
            path = runtime_file(settings)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(record, indent=2))
            stack.callback(path.unlink, missing_ok=True)
        yield settings.model_copy(update=updates)
