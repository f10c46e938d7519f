"""Storage backends for the contract suite: local (a temp dir), S3 (moto's server as a subprocess on
loopback) and the local fakes of GCS and Supabase (tests/fakes), one parametrized `backend` fixture."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from app.storage import LocalStorage, ObjectStore
from app.storage.gcs import GcsStorage
from app.storage.s3 import S3Storage
from app.storage.supabase import SupabaseStorage
from tests.fakes._asgi import free_port, serve
from tests.fakes.gcs import FakeGcs
from tests.fakes.supabase import FakeSupabase

S3_KEYS = {"access_key_id": "testing", "secret_access_key": "testing"}
BACKENDS = ["local", "s3", "gcs", "supabase"]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server on a free loopback port, killed at the end of the session."""
    port = free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def fake_gcs() -> Iterator[tuple[FakeGcs, str]]:
    fake = FakeGcs()
    with serve(fake) as url:
        yield fake, url


@pytest.fixture(scope="session")
def fake_supabase() -> Iterator[tuple[FakeSupabase, str]]:
    fake = FakeSupabase()
    with serve(fake) as url:
        yield fake, url


def make_s3(endpoint: str, bucket: str) -> S3Storage:
    return S3Storage(bucket=bucket, endpoint_url=endpoint, path_style=True, **S3_KEYS)


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    """Each backend in turn, empty (a fresh bucket or directory per test)."""
    name = request.param
    store: ObjectStore
    if name == "local":
        store = LocalStorage(tmp_path / "store", "secret")
    elif name == "s3":
        s3 = make_s3(request.getfixturevalue("moto_endpoint"), f"contract-{uuid.uuid4().hex[:12]}")
        await s3.ensure_bucket()
        store = s3
    elif name == "gcs":
        fake, url = request.getfixturevalue("fake_gcs")
        store = GcsStorage(bucket=f"b-{uuid.uuid4().hex[:8]}", token=fake.token, endpoint=url)
    else:
        fake_sb, url = request.getfixturevalue("fake_supabase")
        store = SupabaseStorage(url=url, service_key=fake_sb.service_key, bucket=f"b-{uuid.uuid4().hex[:8]}")
    try:
        yield store
    finally:
        await store.aclose()
