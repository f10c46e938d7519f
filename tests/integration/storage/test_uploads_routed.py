"""Multipart uploads on remote storage: routed like generator outputs (images to S3 by default, text to GCS),
the generation keeps the backend-naming reference, and both come back byte for byte."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fakes.gcs import FakeGcs
from tests.integration.storage.test_remote_backends import remote, remote_app
from tests.integration.storage.uploads import png_bytes

__all__ = ["remote", "remote_app"]  # the remote-storage app fixtures, shared with that module


async def _key(engine: AsyncEngine, generation_id: str) -> str:
    async with engine.connect() as conn:
        query = text("SELECT storage_key FROM generations WHERE id = :id")
        return str((await conn.execute(query, {"id": generation_id})).scalar_one())


async def test_uploads_are_routed_and_served(
    remote: httpx.AsyncClient, engine: AsyncEngine, fake_gcs: tuple[FakeGcs, str]
) -> None:
    board = (await remote.post("/api/v1/boards", json={"title": "Uploads on S3"})).json()["id"]
    image, note = png_bytes(40), b"a note kept on GCS\n"
    form = {"board_id": board, "artifact_type": "image"}
    uploaded = await remote.post(
        "/api/uploads/artifact", data=form, files={"file": ("a.png", image, "image/png")}
    )
    assert uploaded.status_code == 200, uploaded.text
    assert (await _key(engine, uploaded.json()["id"])).startswith("s3:")
    async with httpx.AsyncClient() as outside:  # S3's own presigned GET (moto on loopback)
        assert (await outside.get(uploaded.json()["storageUrl"])).content == image
        assert (await outside.get(uploaded.json()["thumbnailUrl"])).headers["content-type"] == "image/jpeg"

    form = {"board_id": board, "artifact_type": "text"}
    written = await remote.post(
        "/api/v1/uploads/artifact", data=form, files={"file": ("n.txt", note, "text/plain")}
    )
    assert written.status_code == 201, written.text
    key = await _key(engine, written.json()["id"])
    assert key.startswith("gcs:") and ("atelier-gcs", key.removeprefix("gcs:")) in fake_gcs[0].objects
    assert (await remote.get(written.json()["storageUrl"])).content == note  # signed, served through the app
