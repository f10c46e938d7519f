"""Presigned direct upload on the local backend (the app's signed PUT endpoint), through REST and GraphQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from urllib.parse import unquote

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.settings import Settings
from tests.contract.drivers import ApiError, Driver
from tests.integration.storage.uploads import confirm_upload, create_upload, png_bytes


async def test_upload_url_then_put_then_confirm_makes_a_generation(
    api: Driver, client: httpx.AsyncClient
) -> None:
    board = await api.create_board(title="Uploads")
    data = png_bytes()
    upload = await create_upload(
        api, boardId=board["id"], filename="My Photo.PNG", contentType="image/png", sizeBytes=len(data)
    )
    assert upload["method"] == "PUT" and upload["maxBytes"] == len(data)
    assert upload["uploadUrl"].startswith("/api/v1/files/")
    assert f"/{board['id']}/{upload['id']}.png?" in upload["uploadUrl"]  # tenant/board/generation.ext
    put = await client.put(upload["uploadUrl"], content=data, headers=upload["headers"])
    assert put.status_code == 200, put.text
    generation = await confirm_upload(api, upload["id"])
    assert generation["id"] == upload["id"]
    assert (generation["status"], generation["progress"], generation["artifactType"]) == (
        "completed",
        1.0,
        "image",
    )
    assert generation["generatorName"] == "upload"
    assert generation["inputParams"]["original_filename"] == "My Photo.PNG"
    assert generation["outputMetadata"]["size_bytes"] == len(data)
    served = await client.get(generation["storageUrl"])
    assert (served.status_code, served.content) == (200, data)
    assert served.headers["content-type"] == "image/png"
    again = await confirm_upload(api, upload["id"])  # confirming twice is one generation
    assert again["id"] == generation["id"]
    listed = await api.recent_generations(boardId=board["id"])
    assert [g["id"] for g in listed] == [generation["id"]]


async def test_confirm_before_the_bytes_arrive_is_refused(api: Driver) -> None:
    board = await api.create_board(title="Early")
    upload = await create_upload(
        api, boardId=board["id"], filename="a.mp4", contentType="video/mp4", sizeBytes=10
    )
    with pytest.raises(ApiError) as raised:
        await confirm_upload(api, upload["id"])
    assert raised.value.code == "BAD_USER_INPUT"


async def test_bad_upload_requests_are_clear_errors(api: Driver) -> None:
    board = await api.create_board(title="Strict")
    cases = [
        (
            {"contentType": "application/zip", "filename": "x.zip", "sizeBytes": 5},
            "UNSUPPORTED_MEDIA_TYPE",
        ),  # not a type the product accepts
        ({"contentType": "image/png", "filename": "x.png", "sizeBytes": 10**12}, "BAD_USER_INPUT"),  # too big
        ({"contentType": "IMAGE/PNG;x", "filename": "x.png", "sizeBytes": 5}, "BAD_USER_INPUT"),
        ({"contentType": "image/png", "filename": "x.png", "sizeBytes": 0}, "BAD_USER_INPUT"),
    ]
    for fields, code in cases:
        with pytest.raises(ApiError) as raised:
            await create_upload(api, boardId=board["id"], **fields)
        assert raised.value.code == code, fields
    with pytest.raises(ApiError) as missing:
        await confirm_upload(api, "00000000-0000-0000-0000-000000000001")
    assert missing.value.code == "NOT_FOUND"


async def test_the_signed_put_endpoint_checks_signature_size_type_and_expiry(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Guarded"})).json()
    body = {"boardId": board["id"], "filename": "clip.mp4", "contentType": "video/mp4", "sizeBytes": 8}
    upload = (await client.post("/api/v1/direct-uploads", json=body)).json()
    url, headers = upload["uploadUrl"], upload["headers"]

    too_big = await client.put(url, content=b"x" * 9, headers=headers)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "PAYLOAD_TOO_LARGE")

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: the limit is counted while streaming
        for _ in range(3):
            yield b"xxxx"

    streamed = await client.put(url, content=chunked(), headers=headers)
    assert streamed.status_code == 413
    target = settings.storage_dir / unquote(url.split("/api/v1/files/")[1].split("?")[0])
    assert not target.exists() and not list(target.parent.glob("*.part"))  # nothing left behind
    wrong_type = await client.put(url, content=b"x" * 8, headers={"Content-Type": "text/html"})
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (422, "BAD_USER_INPUT")
    forged = await client.put(url.replace("maxBytes=8", "maxBytes=80"), content=b"x" * 50, headers=headers)
    assert forged.status_code == 403
    expired = await client.put(url.replace("expires=", "expires=1"), content=b"x" * 8, headers=headers)
    assert expired.status_code == 403
    other_key = url.replace(upload["id"], "00000000-0000-0000-0000-000000000002")
    assert (await client.put(other_key, content=b"x" * 8, headers=headers)).status_code == 403
    as_download = url.split("?")[0] + "?expires=" + str(int(time.time()) + 60) + "&signature=" + "0" * 32
    assert (await client.get(as_download)).status_code == 403

    ok = await client.put(url, content=b"12345678", headers=headers)
    assert ok.status_code == 200
    confirmed = await client.post(f"/api/v1/direct-uploads/{upload['id']}/confirm")
    assert confirmed.status_code == 415  # eight bytes that are no MP4: sniffed at confirm


async def test_viewers_and_other_users_cannot_upload(local_http: httpx.AsyncClient) -> None:
    from tests.conftest import sign_up

    owner = await sign_up(local_http, "owner@example.com")
    stranger = await sign_up(local_http, "stranger@example.com")
    board = (await local_http.post("/api/v1/boards", json={"title": "Mine"}, headers=owner["headers"])).json()
    body = {"boardId": board["id"], "filename": "a.png", "contentType": "image/png", "sizeBytes": 4}
    refused = await local_http.post("/api/v1/direct-uploads", json=body, headers=stranger["headers"])
    assert refused.status_code in (403, 404)
    upload = (await local_http.post("/api/v1/direct-uploads", json=body, headers=owner["headers"])).json()
    stolen = await local_http.post(
        f"/api/v1/direct-uploads/{upload['id']}/confirm", headers=stranger["headers"]
    )
    assert (stolen.status_code, stolen.json()["code"]) == (404, "NOT_FOUND")


async def test_expired_unconfirmed_uploads_are_swept_with_their_bytes(
    app: Litestar, client: httpx.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Abandoned"})).json()
    body = {"boardId": board["id"], "filename": "a.txt", "contentType": "text/plain", "sizeBytes": 5}
    stale = (await client.post("/api/v1/direct-uploads", json=body)).json()
    fresh = (await client.post("/api/v1/direct-uploads", json=body)).json()
    for upload in (stale, fresh):
        assert (
            await client.put(upload["uploadUrl"], content=b"hello", headers=upload["headers"])
        ).status_code == 200
    stale_file = settings.storage_dir / unquote(stale["uploadUrl"].split("/api/v1/files/")[1].split("?")[0])
    assert stale_file.is_file()
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE upload_intents SET expires_at = now() - interval '1 hour' WHERE id = :id"),
            {"id": stale["id"]},
        )
    await app.state.worker.queue.enqueue("sweep_expired_uploads")
    deadline = time.monotonic() + 15
    while stale_file.exists():
        assert time.monotonic() < deadline, "the expired upload's bytes were not deleted"
        await asyncio.sleep(0.05)
    gone = await client.post(f"/api/v1/direct-uploads/{stale['id']}/confirm")
    assert (gone.status_code, gone.json()["code"]) == (404, "NOT_FOUND")
    kept = await client.post(f"/api/v1/direct-uploads/{fresh['id']}/confirm")
    assert kept.status_code == 200  # an upload still in time is untouched
