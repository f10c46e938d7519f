"""One contract, every backend: local, S3 (moto server), GCS and Supabase (local fakes of their APIs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from app.storage import LocalStorage, ObjectMissing, ObjectStore, Route, Storage, StorageError
from app.storage.gcs import GcsStorage
from app.storage.supabase import SupabaseStorage
from tests.fakes.gcs import FakeGcs
from tests.fakes.supabase import FakeSupabase

KEY = "11111111-1111-1111-1111-111111111111/22222222-2222-2222-2222-222222222222/33333333.png"
ALL_BYTES = bytes(range(256)) * 4


async def test_put_then_get_stat_exists(backend: ObjectStore) -> None:
    await backend.put(KEY, ALL_BYTES, content_type="image/png")
    assert await backend.get(KEY) == ALL_BYTES
    info = await backend.stat(KEY)
    assert info is not None and info.size == len(ALL_BYTES)
    assert info.content_type == "image/png"
    assert await backend.exists(KEY)


async def test_overwrite_replaces_the_object(backend: ObjectStore) -> None:
    await backend.put(KEY, b"first version", content_type="image/png")
    await backend.put(KEY, b"2nd", content_type="image/png")
    assert await backend.get(KEY) == b"2nd"
    info = await backend.stat(KEY)
    assert info is not None and info.size == 3


async def test_missing_objects(backend: ObjectStore) -> None:
    assert await backend.stat("t/b/nothing.png") is None
    assert not await backend.exists("t/b/nothing.png")
    with pytest.raises(ObjectMissing):
        await backend.get("t/b/nothing.png")
    await backend.delete("t/b/nothing.png")  # deleting what is gone is not an error (jobs retry)


async def test_delete_removes_only_that_object(backend: ObjectStore) -> None:
    await backend.put("t/b/one.txt", b"1", content_type="text/plain")
    await backend.put("t/b/two.txt", b"2", content_type="text/plain")
    await backend.delete("t/b/one.txt")
    assert not await backend.exists("t/b/one.txt")
    assert await backend.get("t/b/two.txt") == b"2"


async def test_keys_with_spaces_unicode_and_depth(backend: ObjectStore) -> None:
    key = "tenant/board/deep/er/a file é+%.wav"
    await backend.put(key, b"RIFF", content_type="audio/wav")
    assert await backend.get(key) == b"RIFF"
    assert not await backend.exists("tenant/board/deep/er/a file e+%.wav")


async def test_empty_and_large_objects(backend: ObjectStore) -> None:
    await backend.put("t/b/empty.bin", b"", content_type="application/octet-stream")
    assert await backend.get("t/b/empty.bin") == b""
    big = bytes(range(251)) * 20_000  # ~5 MB, not a multiple of any buffer size
    await backend.put("t/b/big.bin", big, content_type="application/octet-stream")
    got = await backend.get("t/b/big.bin")
    assert len(got) == len(big) and got == big


def _router(backend: ObjectStore, tmp_path: Path, **options: Any) -> Storage:
    """A Storage whose local backend is the one under test, or a temp dir beside it."""
    if isinstance(backend, LocalStorage):
        return Storage(backend, **options)
    return Storage(LocalStorage(tmp_path / "local", "secret"), backends={backend.name: backend}, **options)


async def test_router_routes_and_reads_back_through_locators(backend: ObjectStore, tmp_path: Path) -> None:
    """Big videos go to the backend under test, the rest stays local; every locator reads back."""
    route = Route(backend=backend.name, artifact_types=["video"], min_bytes=100)  # type: ignore[arg-type]
    storage = _router(backend, tmp_path, routes=[route])
    small = await storage.put("t/b/g.mp4", b"x" * 99)
    big = await storage.put("t/b/g2.mp4", b"y" * 100)
    image = await storage.put("t/b/g3.png", b"z" * 500)
    assert small == "t/b/g.mp4" and image == "t/b/g3.png"  # local keys carry no prefix
    assert big == ("t/b/g2.mp4" if backend.name == "local" else f"{backend.name}:t/b/g2.mp4")
    assert await storage.get(big) == b"y" * 100
    assert await backend.get("t/b/g2.mp4") == b"y" * 100
    await storage.delete(big)
    assert not await storage.exists(big)


async def test_signed_urls(backend: ObjectStore, tmp_path: Path) -> None:
    """S3 hands out its own presigned URL (fetched here from moto); the others get the app's signed URL."""
    storage = _router(backend, tmp_path, default=backend.name)
    locator = await storage.put("t/b/pic.png", b"\x89PNG-bytes")
    url = storage.signed_url(locator, disposition="attachment")
    if backend.name == "s3":
        async with httpx.AsyncClient() as http:
            response = await http.get(url)
        assert response.status_code == 200 and response.content == b"\x89PNG-bytes"
        assert response.headers["content-type"] == "image/png"
        assert response.headers["content-disposition"] == 'attachment; filename="pic.png"'
        assert "X-Amz-Expires=25200" in url  # 6 h + a sixth, and reused for that sixth:
        assert storage.signed_url(locator, disposition="attachment") == url
        assert storage.signed_url(locator) != url  # inline is another URL
    else:
        assert url.startswith("/api/v1/files/")
        query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
        assert storage.verify(locator, int(query["expires"]), query["signature"], disposition="attachment")
        assert not storage.verify(locator, int(query["expires"]), query["signature"])  # inline ≠ attachment


@pytest.mark.parametrize("kind", ["gcs", "supabase"])
async def test_http_backends_turn_outages_into_retryable_errors(
    kind: str, fake_gcs: tuple[FakeGcs, str], fake_supabase: tuple[FakeSupabase, str]
) -> None:
    store: GcsStorage | SupabaseStorage
    if kind == "gcs":
        fake, url = fake_gcs
        store = GcsStorage(bucket="outage", token=fake.token, endpoint=url)
    else:
        fake_sb, url = fake_supabase
        fake = fake_sb  # type: ignore[assignment]
        store = SupabaseStorage(url=url, service_key=fake_sb.service_key, bucket="outage")
    try:
        fake.fail_next["POST"] = 1
        with pytest.raises(StorageError) as raised:
            await store.put("t/b/x.txt", b"x", content_type="text/plain")
        assert not isinstance(raised.value, ObjectMissing)
        await store.put("t/b/x.txt", b"x", content_type="text/plain")  # the retry goes through
        assert await store.get("t/b/x.txt") == b"x"
    finally:
        await store.aclose()


async def test_http_backends_refuse_wrong_credentials(
    fake_gcs: tuple[FakeGcs, str], fake_supabase: tuple[FakeSupabase, str]
) -> None:
    gcs = GcsStorage(bucket="b", token="wrong", endpoint=fake_gcs[1])
    supabase = SupabaseStorage(url=fake_supabase[1], service_key="wrong", bucket="b")
    try:
        for store in (gcs, supabase):
            with pytest.raises(StorageError):
                await store.put("t/b/x.txt", b"x", content_type="text/plain")
    finally:
        await gcs.aclose()
        await supabase.aclose()
