"""The app on remote storage: S3 by default (moto server), text routed to GCS (local fake). Presigned
direct upload to S3 through REST and GraphQL, artifacts stored and served from both, and file deletion
by a job that retries when the storage fails for a moment."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.server import create_app
from app.settings import Settings
from app.storage import Route, StorageConfig
from app.storage.config import GcsConfig, S3Config, SupabaseConfig
from app.storage.s3 import S3Storage
from tests.conftest import running
from tests.contract.drivers import Driver, GraphQLDriver, RestDriver
from tests.fakes.gcs import FakeGcs
from tests.fakes.supabase import FakeSupabase
from tests.integration.storage.conftest import S3_KEYS
from tests.integration.storage.test_file_deletion import run_to_completion
from tests.integration.storage.uploads import confirm_upload, create_upload, png_bytes

BUCKET = "atelier-remote"


@pytest.fixture(scope="module")
async def remote_app(
    settings: Settings,
    moto_endpoint: str,
    fake_gcs: tuple[FakeGcs, str],
    fake_supabase: tuple[FakeSupabase, str],
) -> AsyncIterator[Litestar]:
    storage = StorageConfig(
        default="s3",
        s3=S3Config(
            bucket=BUCKET, endpoint_url=moto_endpoint, path_style=True, create_bucket=True,
            access_key_id=S3_KEYS["access_key_id"], secret_access_key=SecretStr(S3_KEYS["secret_access_key"]),
        ),
        gcs=GcsConfig(bucket="atelier-gcs", token=SecretStr(fake_gcs[0].token), endpoint=fake_gcs[1]),
        supabase=SupabaseConfig(
            url=fake_supabase[1], service_key=SecretStr(fake_supabase[0].service_key), bucket="atelier-sb"
        ),
        routes=[Route(backend="gcs", artifact_types=["text"]), Route(backend="supabase", artifact_types=["audio"])],
    )  # fmt: skip
    remote = settings.model_copy(update={"storage": storage, "queue_name": "atelier-test-remote"})
    async with running(create_app(remote)) as application:
        yield application


@pytest.fixture
async def remote(remote_app: Litestar, clean_db: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=remote_app), base_url="http://atelier.test"
    ) as http:
        yield http


@pytest.fixture
async def s3(moto_endpoint: str) -> AsyncIterator[S3Storage]:
    store = S3Storage(bucket=BUCKET, endpoint_url=moto_endpoint, path_style=True, **S3_KEYS)
    yield store
    await store.aclose()


async def _key(engine: AsyncEngine, generation_id: str) -> str:
    async with engine.connect() as conn:
        query = text("SELECT storage_key FROM generations WHERE id = :id")
        return str((await conn.execute(query, {"id": generation_id})).scalar_one())


@pytest.mark.parametrize("driver", [RestDriver, GraphQLDriver], ids=["rest", "graphql"])
async def test_presigned_upload_straight_to_s3(
    driver: type[Driver], remote: httpx.AsyncClient, s3: S3Storage, engine: AsyncEngine, moto_endpoint: str
) -> None:
    api: Any = driver(remote)  # type: ignore[call-arg]
    board = await api.create_board(title="To S3")
    data = png_bytes(48)
    upload = await create_upload(
        api, boardId=board["id"], filename="shot.png", contentType="image/png", sizeBytes=len(data)
    )
    assert upload["uploadUrl"].startswith(f"{moto_endpoint}/{BUCKET}/{board['tenantId']}/{board['id']}/")
    assert "X-Amz-Signature=" in upload["uploadUrl"] and "X-Amz-Expires=900" in upload["uploadUrl"]
    async with httpx.AsyncClient() as outside:  # the client talks to S3 directly, not to the app
        put = await outside.put(upload["uploadUrl"], content=data, headers=upload["headers"])
        assert put.status_code == 200, put.text
        generation = await confirm_upload(api, upload["id"])
        assert generation["status"] == "completed" and generation["id"] == upload["id"]
        assert "X-Amz-Signature=" in generation["storageUrl"]  # a presigned GET, never a public URL
        # sealed: the URL is still within its 900 s, but S3 refuses to write the key again (If-None-Match: *
        # is signed, so real S3 also refuses a PUT that drops the header: 403)
        again = await outside.put(upload["uploadUrl"], content=png_bytes(8), headers=upload["headers"])
        served = await outside.get(generation["storageUrl"])
    assert "if-none-match" in parse_qs(urlsplit(upload["uploadUrl"]).query)["X-Amz-SignedHeaders"][0]
    assert upload["headers"]["If-None-Match"] == "*"
    assert again.status_code == 412, again.text
    assert (served.status_code, served.content) == (200, data)
    key = await _key(engine, generation["id"])
    assert key == f"s3:{board['tenantId']}/{board['id']}/{upload['id']}.png"
    assert (await s3.stat(key.removeprefix("s3:"))) is not None


async def test_artifacts_are_routed_stored_and_served(
    remote: httpx.AsyncClient, engine: AsyncEngine, fake_gcs: tuple[FakeGcs, str]
) -> None:
    board = (await remote.post("/api/v1/boards", json={"title": "Routed"})).json()
    image = (await remote.get(f"/api/v1/generations/{await run_to_completion(remote, board['id'])}")).json()
    assert (await _key(engine, image["id"])).startswith("s3:")
    async with httpx.AsyncClient() as outside:
        png = await outside.get(image["storageUrl"])
        thumbnail = await outside.get(image["thumbnailUrl"])
    assert png.content.startswith(b"\x89PNG") and thumbnail.headers["content-type"] == "image/jpeg"
    # a generator reads its input artifact back from S3 (downloaded once to a local cache)
    await run_to_completion(remote, board["id"], init_image=image["id"])

    text_id = await run_to_completion(remote, board["id"], generator="local-text")
    note = (await remote.get(f"/api/v1/generations/{text_id}")).json()
    key = await _key(engine, text_id)
    assert key.startswith("gcs:") and key.endswith(".txt")
    assert ("atelier-gcs", key.removeprefix("gcs:")) in fake_gcs[0].objects
    assert note["storageUrl"].startswith("/api/v1/files/gcs%3A")  # served through the app, signed
    whole = await remote.get(note["storageUrl"])
    assert whole.status_code == 200 and whole.headers["content-type"].startswith("text/plain")
    part = await remote.get(note["storageUrl"], headers={"Range": "bytes=0-3"})
    assert (part.status_code, part.content) == (206, whole.content[:4])
    forged = note["storageUrl"].replace("gcs%3A", "s3%3A")
    assert (await remote.get(forged)).status_code == 403


async def test_file_deletion_retries_a_transient_storage_failure(
    remote: httpx.AsyncClient, engine: AsyncEngine, fake_gcs: tuple[FakeGcs, str], s3: S3Storage
) -> None:
    fake = fake_gcs[0]
    board = (await remote.post("/api/v1/boards", json={"title": "Flaky"})).json()
    text_id = await run_to_completion(remote, board["id"], generator="local-text")
    image_id = await run_to_completion(remote, board["id"])
    gcs_key = (await _key(engine, text_id)).removeprefix("gcs:")
    s3_key = (await _key(engine, image_id)).removeprefix("s3:")
    deletes_before = sum(1 for method, _ in fake.calls if method == "DELETE")
    fake.fail_next["DELETE"] = 1  # the first attempt meets a 503

    assert (await remote.delete(f"/api/v1/boards/{board['id']}")).status_code == 204
    deadline = time.monotonic() + 20
    while ("atelier-gcs", gcs_key) in fake.objects or await s3.exists(s3_key):
        assert time.monotonic() < deadline, "files were not deleted"
        await asyncio.sleep(0.1)
    assert fake.fail_next["DELETE"] == 0
    assert (
        sum(1 for method, _ in fake.calls if method == "DELETE") >= deletes_before + 2
    )  # failed, then retried


async def test_direct_upload_through_the_app_to_supabase(
    remote: httpx.AsyncClient, engine: AsyncEngine, fake_supabase: tuple[FakeSupabase, str]
) -> None:
    """Backends without presigned PUTs take the upload through the app's signed endpoint, then serve it."""
    board = (await remote.post("/api/v1/boards", json={"title": "Voice notes"})).json()
    data = b"RIFF\x00\x08\x00\x00WAVE" + bytes(range(256)) * 8
    body = {
        "boardId": board["id"],
        "filename": "note.wav",
        "contentType": "audio/wav",
        "sizeBytes": len(data),
    }
    upload = (await remote.post("/api/v1/direct-uploads", json=body)).json()
    assert upload["uploadUrl"].startswith("/api/v1/files/supabase%3A")
    too_big = await remote.put(upload["uploadUrl"], content=data + b"!", headers=upload["headers"])
    assert too_big.status_code == 413
    assert not any(
        name.startswith(f"{board['tenantId']}/{board['id']}/") for _, name in fake_supabase[0].objects
    )
    assert (await remote.put(upload["uploadUrl"], content=data, headers=upload["headers"])).status_code == 200
    confirmed = await remote.post(f"/api/v1/direct-uploads/{upload['id']}/confirm")
    generation = confirmed.json()
    assert (confirmed.status_code, generation["artifactType"]) == (200, "audio"), generation
    key = (await _key(engine, generation["id"])).removeprefix("supabase:")
    assert fake_supabase[0].objects["atelier-sb", key] == (data, "audio/wav")
    served = await remote.get(generation["storageUrl"])
    assert (served.status_code, served.content) == (200, data)
    assert served.headers["content-type"] in {"audio/wav", "audio/x-wav"}  # by extension, as for local files
    tail = await remote.get(generation["storageUrl"], headers={"Range": "bytes=-4"})
    assert (tail.status_code, tail.content) == (206, data[-4:])
