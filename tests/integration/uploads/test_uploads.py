"""Uploads that should work: multipart (Boards' path and /api/v1) and URLs (GraphQL and REST) become completed
generations whose stored files come back over HTTP byte for byte."""

from __future__ import annotations

import json
import wave
from io import BytesIO
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any

import httpx
import pytest
from litestar import Litestar
from PIL import Image
from redis.asyncio import Redis

from app.platform.events import board_channel
from app.settings import Settings
from tests.integration.uploads.conftest import Origin, graphql_upload, multipart, png


async def fetch(http: httpx.AsyncClient, url: str) -> httpx.Response:
    response = await http.get(url)
    assert response.status_code == 200, response.text
    return response


async def test_multipart_upload_on_the_boards_path(http: httpx.AsyncClient, board: str) -> None:
    data = png(64, 48)
    response = await multipart(http, board, data, user_description="my sketch")
    assert response.status_code == 200, response.text  # Boards clients accept exactly 200
    body = response.json()
    assert (body["status"], body["artifactType"], body["generatorName"]) == (
        "completed",
        "image",
        "user-upload-image",
    )
    assert body["progress"] == 1.0 and body["completedAt"]
    assert body["inputParams"] == {
        "source": "file",
        "original_filename": "pic.png",
        "user_description": "my sketch",
    }
    assert body["outputMetadata"] | {"sha256": "…"} == {
        "content_type": "image/png", "size_bytes": len(data), "sha256": "…", "width": 64, "height": 48,
    }  # fmt: skip
    stored = await fetch(http, body["storageUrl"])
    assert (stored.content, stored.headers["content-type"]) == (data, "image/png")
    assert (
        stored.headers["x-content-type-options"] == "nosniff"
    )  # user content: never sniffed, never scripted
    assert stored.headers["content-security-policy"].startswith("sandbox")
    thumbnail = await fetch(http, body["thumbnailUrl"])
    assert thumbnail.headers["content-type"] == "image/jpeg" and thumbnail.content.startswith(b"\xff\xd8")
    listed = (await http.get("/api/v1/generations", params={"boardId": board})).json()["items"]
    assert [g["id"] for g in listed] == [body["id"]]
    again = await http.post(f"/api/v1/generations/{body['id']}/regenerate")
    assert (again.status_code, again.json()["code"]) == (422, "BAD_USER_INPUT")  # nothing to run again


async def test_multipart_on_v1_with_a_parent_records_lineage(http: httpx.AsyncClient, board: str) -> None:
    parent = (await multipart(http, board, png())).json()
    text = "a caption, in UTF-8: é\n".encode()
    response = await multipart(
        http, board, text, artifact_type="TEXT", filename="caption.txt", content_type="text/plain",
        path="/api/v1/uploads/artifact", parent_generation_id=parent["id"],
    )  # fmt: skip
    assert response.status_code == 201, response.text
    child = response.json()
    assert (child["artifactType"], child["generatorName"], child["thumbnailUrl"]) == (
        "text",
        "user-upload-text",
        None,
    )
    stored = await fetch(http, child["storageUrl"])
    assert stored.content == text and stored.headers["content-type"].startswith("text/plain")
    lineage = (await http.get(f"/api/v1/generations/{child['id']}/lineage")).json()
    assert [(e["inputGenerationId"], e["role"]) for e in lineage["edges"]] == [(parent["id"], "parent")]


async def test_url_upload_over_graphql(http: httpx.AsyncClient, board: str, origin: Origin) -> None:
    parent = (await multipart(http, board, png(8, 8))).json()
    result = await graphql_upload(
        http, boardId=board, artifactType="IMAGE", fileUrl=origin.url("/files/pic.png?token=secret"),
        userDescription="from the web", parentGenerationId=parent["id"],
    )  # fmt: skip
    assert result.get("errors") is None, result
    uploaded: dict[str, Any] = result["data"]["uploadArtifact"]
    assert (uploaded["status"], uploaded["artifactType"], uploaded["generatorName"]) == (
        "COMPLETED", "IMAGE", "user-upload-image",
    )  # fmt: skip
    assert uploaded["inputArtifacts"] == [{"generationId": parent["id"], "role": "parent"}]
    assert uploaded["inputParams"]["url"] == origin.url("/files/pic.png")  # the query (a secret?) is not kept
    assert uploaded["inputParams"]["original_filename"] == "pic.png"
    stored = await fetch(http, uploaded["storageUrl"])
    assert stored.content == origin.files["pic.png"][0]
    assert origin.hits == ["/files/pic.png?token=secret"]


async def test_url_upload_over_rest_follows_redirects(
    http: httpx.AsyncClient, board: str, origin: Origin
) -> None:
    body = {
        "boardId": board,
        "artifactType": "text",
        "fileUrl": origin.url("/hops/2"),
        "originalFilename": "n.txt",
    }
    origin.files["pic.png"] = (
        b"plain words, not a picture\n",
        "image/png",
    )  # the bytes decide, not the header
    try:
        response = await http.post("/api/v1/uploads/url", json=body)
    finally:
        origin.files["pic.png"] = (png(), "image/png")
    assert response.status_code == 201, response.text
    uploaded = response.json()
    assert uploaded["outputMetadata"]["content_type"] == "text/plain"
    assert uploaded["inputParams"]["original_filename"] == "n.txt"
    assert (await fetch(http, uploaded["storageUrl"])).content == b"plain words, not a picture\n"
    assert origin.hits == ["/hops/2", "/hops/1", "/hops/0", "/files/pic.png"]


async def test_a_name_is_resolved_once_and_the_connection_pinned_to_that_address(
    http: httpx.AsyncClient, board: str, origin: Origin, upload_app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """assets.example exists only in this resolver: the fetch can only have gone to the address it answered,
    and the origin still saw the name in the Host header."""
    lookups: list[str] = []

    async def resolver(host: str, port: int) -> list[IPv4Address | IPv6Address]:
        lookups.append(host)
        return [ip_address("127.0.0.1")]

    monkeypatch.setattr(upload_app.state.runtime.fetcher.guard, "resolver", resolver)
    url = f"http://assets.example:{origin.port}/files/note.txt"
    response = await http.post(
        "/api/v1/uploads/url", json={"boardId": board, "artifactType": "text", "fileUrl": url}
    )
    assert response.status_code == 201, response.text
    assert lookups == ["assets.example"]
    assert origin.hosts == [f"assets.example:{origin.port}"]
    assert (await fetch(http, response.json()["storageUrl"])).content == b"hello from the origin\n"


async def test_board_streams_hear_about_an_upload_after_it_commits(
    http: httpx.AsyncClient, board: str, upload_settings: Settings
) -> None:
    redis = Redis.from_url(upload_settings.require_redis_url())
    pubsub = redis.pubsub()
    await pubsub.subscribe(board_channel(board))
    try:
        uploaded = (await multipart(http, board, png())).json()
        message = None
        for _ in range(50):
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
            if message is not None:
                break
        assert message is not None
        event = json.loads(message["data"])
        assert (event["jobId"], event["status"], event["progress"]) == (uploaded["id"], "completed", 1.0)
        assert event["artifacts"][0]["url"].startswith("/api/v1/files/")
    finally:
        await pubsub.aclose()
        await redis.aclose()


def wav() -> bytes:
    out = BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\0\0" * 800)
    return out.getvalue()


def mp4() -> bytes:
    import av

    out = BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for colour in ("red", "green", "blue"):
            container.mux(stream.encode(av.VideoFrame.from_image(Image.new("RGB", (64, 64), colour))))
        container.mux(stream.encode())
    return out.getvalue()


@pytest.mark.parametrize(("kind", "make", "mime"), [("audio", wav, "audio/wav"), ("video", mp4, "video/mp4")])
async def test_audio_and_video_uploads_are_stored_as_sent(
    http: httpx.AsyncClient, board: str, kind: str, make: Any, mime: str
) -> None:
    data = make()
    response = await multipart(
        http, board, data, artifact_type=kind, filename=f"clip.{mime[6:]}", content_type=mime
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["artifactType"], body["outputMetadata"]["content_type"], body["thumbnailUrl"]) == (
        kind,
        mime,
        None,
    )
    assert (await fetch(http, body["storageUrl"])).content == data
