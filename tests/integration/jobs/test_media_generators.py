"""local-audio and local-video end to end: REST create → in-process SAQ worker → committed progress events
(watched on the board's Redis channel from before the create, so none is missed) → the files served over
HTTP, parsed as a real WAV / a real H.264 MP4, with their thumbnails, additional files and metadata."""

from __future__ import annotations

import asyncio
import io
import json
import time
import wave
from array import array
from typing import Any

import av
import httpx
from PIL import Image
from redis.asyncio import Redis

from app.generators.builtin.local_video import LocalVideoInput, draw_frame, plan, png
from app.platform.events import board_channel
from app.settings import Settings

PHASES = ["queued", "initializing", "processing", "finalizing"]
TERMINAL = {"completed", "failed", "cancelled"}
EVENT_KEYS = {"job_id", "jobId", "status", "progress", "phase", "message", "estimated_completion",
              "artifacts", "timestamp"}  # fmt: skip


async def _run(
    client: httpx.AsyncClient, settings: Settings, generator: str, params: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Create a generation and collect its events until a terminal one; returns (final row, events)."""
    board = (await client.post("/api/v1/boards", json={"title": generator})).json()
    redis = Redis.from_url(settings.redis_url)
    pubsub = redis.pubsub()
    await pubsub.subscribe(board_channel(board["id"]))
    events: list[dict[str, Any]] = []
    try:
        body = {"boardId": board["id"], "generatorName": generator, "inputParams": params}
        created = await client.post("/api/v1/generations", json=body)
        assert created.status_code == 201, created.text
        deadline = time.monotonic() + 60
        while not events or events[-1]["status"] not in TERMINAL:
            assert time.monotonic() < deadline, events
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                events.append(json.loads(message["data"]))
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()
        await redis.aclose()
    final = (await client.get(f"/api/v1/generations/{created.json()['id']}")).json()
    return final, events


def _check_events(events: list[dict[str, Any]], generation_id: str) -> None:
    assert [e["status"] for e in events][-1] == "completed", events
    assert all(e.keys() >= EVENT_KEYS and e["jobId"] == e["job_id"] == generation_id for e in events)
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and progress[-1] == 1.0
    phases = [e["phase"] for e in events]
    assert [PHASES.index(p) for p in phases] == sorted(PHASES.index(p) for p in phases), phases
    assert {"initializing", "processing", "finalizing"} <= set(phases)
    assert any(e["estimated_completion"] for e in events if e["phase"] == "processing")
    assert events[-1]["artifacts"][0]["url"].startswith("/api/v1/files/")


async def _fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    response = await client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


async def test_local_audio_makes_a_real_wav_with_a_waveform(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    params = {"prompt": "a lighthouse at dusk", "seed": 11, "duration_seconds": 2, "sample_rate": 16000}
    done, events = await _run(client, settings, "local-audio", params)
    assert (done["status"], done["progress"], done["phase"], done["message"]) == (
        "completed",
        1.0,
        "finalizing",
        "completed",
    ), done
    _check_events(events, done["id"])
    assert any((e["message"] or "").startswith("synthesising") for e in events)
    meta = done["outputMetadata"]
    assert (meta["format"], meta["duration"], meta["sample_rate"], meta["content_type"]) == (
        "wav",
        2.0,
        16000,
        "audio/wav",
    )
    audio = await _fetch(client, done["storageUrl"])
    assert audio.headers["content-type"] in {"audio/wav", "audio/x-wav"}
    with wave.open(io.BytesIO(audio.content)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() / wav.getframerate() == meta["duration"]
        samples = array("h", wav.readframes(wav.getnframes()))
    assert max(abs(s) for s in samples) > 10_000
    thumbnail = await _fetch(client, done["thumbnailUrl"])
    with Image.open(io.BytesIO(thumbnail.content)) as image:
        assert (image.format, image.size) == ("PNG", (512, 128))
    [extra] = done["additionalFiles"]
    assert (extra["type"], extra["metadata"]["role"]) == ("image/png", "waveform")
    assert (await _fetch(client, extra["url"])).content == thumbnail.content


async def test_local_video_makes_a_real_mp4_with_a_poster(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    params = {"prompt": "paper boats", "seed": 4, "duration_seconds": 2, "fps": 12, "size": "small"}
    done, events = await _run(client, settings, "local-video", params)
    assert (done["status"], done["phase"]) == ("completed", "finalizing"), done
    _check_events(events, done["id"])
    assert any((e["message"] or "").startswith("frames ") for e in events)
    meta = done["outputMetadata"]
    assert {k: meta[k] for k in ("format", "codec", "width", "height", "duration", "fps", "frames")} == {
        "format": "mp4", "codec": "h264", "width": 320, "height": 180, "duration": 2.0, "fps": 12, "frames": 24,
    }  # fmt: skip
    video = await _fetch(client, done["storageUrl"])
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp" and video.content.index(b"moov") < video.content.index(b"mdat")
    ranged = await client.get(done["storageUrl"], headers={"Range": "bytes=0-99"})
    assert (ranged.status_code, len(ranged.content)) == (206, 100)  # browsers seek with ranges
    with av.open(io.BytesIO(video.content)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.codec_context.width, stream.codec_context.height) == (
            "h264",
            320,
            180,
        )
        assert sum(1 for _ in container.decode(video=0)) == meta["frames"]
        assert container.duration is not None
        assert abs(container.duration / 1_000_000 - meta["duration"]) < 0.01
    poster = await _fetch(client, done["thumbnailUrl"])
    scene = plan(LocalVideoInput(**params))
    assert poster.content == png(draw_frame(scene, scene.poster_index))  # the middle frame, as drawn
    [extra] = done["additionalFiles"]
    assert (extra["type"], extra["metadata"]["role"], extra["metadata"]["frame"]) == (
        "image/png",
        "poster",
        12,
    )


async def test_graphql_and_sse_expose_phase_and_message(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    done, _ = await _run(client, settings, "local-audio", {"prompt": "hum", "duration_seconds": 0.5})
    query = "query($id: UUID!) { generation(id: $id) { phase message thumbnailUrl outputMetadata } }"
    body = (await client.post("/graphql", json={"query": query, "variables": {"id": done["id"]}})).json()
    got = body["data"]["generation"]
    assert (got["phase"], got["message"], got["outputMetadata"]["format"]) == (
        "finalizing",
        "completed",
        "wav",
    )
    stream = await asyncio.wait_for(client.get(f"/api/sse/generations/{done['id']}/progress"), 10)
    [snapshot] = [json.loads(line[6:]) for line in stream.text.splitlines() if line.startswith("data: ")]
    assert (snapshot["phase"], snapshot["message"], snapshot["status"]) == (
        "finalizing",
        "completed",
        "completed",
    )
