"""The image runs: an API container and a worker container (one image, two commands) on the test harness's
PostgreSQL and Valkey complete a generation. Runs with `make test-container` (ATELIER_CONTAINER_TEST=1): the
first run installs podman, builds a Debian base and the image (minutes); it skips, never fails, wherever the
machine cannot build or start containers."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from app.embedded import free_port
from tests.conftest import Servers
from tests.container import podman

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "localhost/atelier:test"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    if os.environ.get("ATELIER_CONTAINER_TEST") != "1":
        pytest.skip(
            "container test: run `make test-container` (ATELIER_CONTAINER_TEST=1); it builds an image"
        )
    started = time.monotonic()
    try:
        podman.ensure_tools()
        podman.build(ROOT, IMAGE)
    except (podman.Skip, OSError, TimeoutError) as reason:
        pytest.skip(f"container test skipped: {reason}")
    print(f"\nimage ready in {time.monotonic() - started:.0f} s")
    yield IMAGE


def _wait_ready(base: str, names: list[str], within_s: float = 90.0) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail("the API container never became ready:\n" + "\n".join(podman.logs(n) for n in names))


def test_an_api_and_a_worker_container_complete_a_generation(
    image: str, servers: Servers, tmp_path: Path
) -> None:
    data = tmp_path / "shared-data"  # one storage directory for both containers (as object storage would be)
    data.mkdir(mode=0o777)
    data.chmod(0o777)
    port, tag = free_port(), uuid4().hex[:6]
    env = {
        "ATELIER_DATABASE_URL": servers.database_url,
        "ATELIER_REDIS_URL": servers.redis_url,
        "ATELIER_QUEUE_NAME": f"container-{tag}",
        "ATELIER_PORT": str(port),
        "ATELIER_HOST": "127.0.0.1",
        "ATELIER_MIGRATE_ON_START": "false",  # the harness migrated; the image's migrate command is separate
        "ATELIER_RATE_LIMIT_NAMESPACE": f"rl:container:{tag}",
    }
    api, worker = f"atelier-api-{tag}", f"atelier-worker-{tag}"
    volume = f"{data}:/var/lib/atelier"
    try:
        podman.run_detached(image, api, env, ["up", "--api-only"], volume)
        podman.run_detached(image, worker, env, ["up", "--worker-only"], volume)
    except podman.Skip as reason:
        podman.remove(api)
        podman.remove(worker)
        pytest.skip(f"container test skipped: {reason}")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, [api, worker])
        with httpx.Client(base_url=base, timeout=10) as http:
            board = http.post("/api/v1/boards", json={"title": "Container"}).json()
            body = {
                "boardId": board["id"],
                "generatorName": "local-image",
                "inputParams": {"prompt": "a crate"},
            }
            created = http.post("/api/v1/generations", json=body)
            assert created.status_code == 201, created.text
            deadline, state = time.monotonic() + 60, {}
            while time.monotonic() < deadline:
                state = http.get(f"/api/v1/generations/{created.json()['id']}").json()
                if state["status"] in {"completed", "failed", "cancelled"}:
                    break
                time.sleep(0.3)
            assert state.get("status") == "completed", (state, podman.logs(worker))
            assert state["outputMetadata"]["format"] == "png"
            assert http.get(state["storageUrl"]).status_code == 200  # the API serves what the worker stored
    finally:
        podman.remove(api)
        podman.remove(worker)
