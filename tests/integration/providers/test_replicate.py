"""Replicate end to end by polling: REST create → in-process worker → fake Replicate → stored artifact."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.fakes._server import Reply
from tests.fakes.replicate import FakeReplicate
from tests.integration.providers.conftest import eventually, start, wait_for


async def test_success_by_polling_stores_outputs_and_records_the_prediction(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    created = await start(polling, "replicate-flux-schnell", prompt="a heron", num_outputs=2)
    assert created["status"] == "pending"
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "completed", done
    prediction = fake_replicate.only()
    assert prediction["input"] == {"prompt": "a heron", "aspect_ratio": "1:1", "num_outputs": 2,
                                   "num_inference_steps": 4, "megapixels": "1", "go_fast": True,
                                   "output_format": "webp", "output_quality": 80}  # fmt: skip
    assert prediction["webhook"] is None  # no public URL: polling only
    assert done["externalJobId"] == prediction["id"]
    assert fake_replicate.count("GET", f"/v1/predictions/{prediction['id']}") >= 3
    assert done["outputMetadata"]["model"] == "black-forest-labs/flux-schnell"
    assert done["outputMetadata"]["predict_time"] == 1.5
    image = await polling.get(done["storageUrl"])
    assert image.content.startswith(b"RIFF")  # webp, the default output_format
    assert len(done["additionalFiles"]) == 1  # the second image
    assert (await polling.get(done["additionalFiles"][0]["url"])).content.startswith(b"RIFF")
    call = next(c for c in fake_replicate.calls if c.method == "POST")
    assert call.path == "/v1/models/black-forest-labs/flux-schnell/predictions"


async def test_a_422_fails_at_once_with_the_providers_message(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    fake_replicate.create_replies.append(
        Reply(422, {"title": "Input validation failed", "status": 422,
                    "detail": "- input.aspect_ratio: must be one of the listed values"})
    )  # fmt: skip
    created = await start(polling, "replicate-flux-schnell", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "failed"
    assert "aspect_ratio: must be one of the listed values" in done["errorMessage"]
    assert "(422)" in done["errorMessage"]
    await asyncio.sleep(1.5)  # past the queue's first retry delay: nothing tries again
    assert fake_replicate.count("POST", "/v1/models/") == 1


async def test_a_500_on_create_is_retried_until_it_works(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    fake_replicate.create_replies.append(Reply(500, {"detail": "Internal Server Error"}))
    created = await start(polling, "replicate-flux-schnell", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"}, within_s=15)
    assert done["status"] == "completed", done
    assert fake_replicate.count("POST", "/v1/models/") == 2


async def test_a_500_while_polling_retries_and_resumes_the_same_prediction(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    fake_replicate.get_replies.append(Reply(503, {"detail": "upstream unavailable"}))
    created = await start(polling, "replicate-flux-schnell", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"}, within_s=15)
    assert done["status"] == "completed", done
    assert fake_replicate.count("POST", "/v1/models/") == 1  # resumed, not billed twice


async def test_a_failed_prediction_fails_with_its_error(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    fake_replicate.fail_with = "NSFW content detected. Try running it again, or try a different prompt."
    created = await start(polling, "replicate-flux-schnell", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "failed"
    assert done["errorMessage"] == "replicate: " + fake_replicate.fail_with


async def test_cancel_mid_run_cancels_the_prediction_at_replicate(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    fake_replicate.hold = True
    created = await start(polling, "replicate-flux-schnell", prompt="x")
    running = await wait_for(polling, created["id"], {"processing"}, externalJobId=True)
    await eventually(lambda: fake_replicate.only()["status"] == "processing")
    started = time.monotonic()
    cancelled = await polling.post(f"/api/v1/generations/{created['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    await eventually(lambda: fake_replicate.cancelled() == [running["externalJobId"]], within_s=2)
    assert time.monotonic() - started < 2
    await asyncio.sleep(1.0)
    final = (await polling.get(f"/api/v1/generations/{created['id']}")).json()
    assert final["status"] == "cancelled"
    assert final["storageUrl"] is None


async def test_progress_follows_the_models_log_percentage(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    fake_replicate.hold = True
    created = await start(polling, "replicate-flux-schnell", prompt="x")
    seen = await wait_for(polling, created["id"], {"processing"}, min_progress=0.4)
    assert abs(seen["progress"] - (0.1 + 0.75 * 0.5)) < 1e-6, seen  # 50% of the run, on the 0..1 scale
    await polling.post(f"/api/v1/generations/{created['id']}/cancel")


async def test_a_video_generation_sends_the_first_frame_and_stores_the_clip(
    polling: httpx.AsyncClient, fake_replicate: FakeReplicate
) -> None:
    image = await start(polling, "replicate-flux-schnell", prompt="first frame", output_format="png")
    assert (await wait_for(polling, image["id"], {"completed"}))["status"] == "completed"
    board = image["boardId"]
    response = await polling.post("/api/v1/generations", json={
        "boardId": board, "generatorName": "replicate-minimax-video",
        "inputParams": {"prompt": "it flies away", "first_frame_image": image["id"]},
    })  # fmt: skip
    video = await wait_for(polling, response.json()["id"], {"completed", "failed"})
    assert (video["status"], video["artifactType"]) == ("completed", "video"), video
    clip = await polling.get(video["storageUrl"])
    assert clip.headers["content-type"] == "video/mp4"
    sent = next(p for p in fake_replicate.predictions.values() if p["model"] == "minimax/video-01")
    assert sent["input"]["first_frame_image"].startswith("data:image/png;base64,iVBOR")
