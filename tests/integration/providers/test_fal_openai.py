"""fal (queue API, polled) and OpenAI (synchronous images) end to end; keys missing → not registered."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.fakes._server import Reply
from tests.fakes.fal import FakeFal
from tests.fakes.openai import FakeOpenAI
from tests.integration.providers.conftest import eventually, start, wait_for


async def test_fal_success_by_polling_the_queue(polling: httpx.AsyncClient, fake_fal: FakeFal) -> None:
    created = await start(polling, "fal-flux-schnell", prompt="a heron", num_images=2, seed=7)
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "completed", done
    rid = fake_fal.only_id()
    assert done["externalJobId"] == rid
    assert fake_fal.requests[rid]["webhook"] is None
    assert fake_fal.requests[rid]["input"]["seed"] == 7
    assert fake_fal.count("GET", f"/fal-ai/flux/requests/{rid}/status") >= 3  # the app id, not the sub-path
    assert len(done["additionalFiles"]) == 1
    assert (await polling.get(done["storageUrl"])).content.startswith(b"\xff\xd8")  # FLUX on fal: JPEG
    estimate = await polling.post(
        "/api/v1/generators/fal-flux-schnell/estimate", json={"inputParams": {"prompt": "x", "num_images": 2}}
    )
    assert estimate.json()["estimatedCost"] == 0.006  # 2 images x 0.003


async def test_fal_422_result_fails_with_the_validation_message(
    polling: httpx.AsyncClient, fake_fal: FakeFal
) -> None:
    fake_fal.result_reply = Reply(
        422, {"detail": [{"loc": ["body", "prompt"], "msg": "prompt is too long", "type": "value_error"}]}
    )
    created = await start(polling, "fal-flux-schnell", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "failed"
    assert "prompt: prompt is too long" in done["errorMessage"]


async def test_fal_cancel_mid_run_calls_the_cancel_url(polling: httpx.AsyncClient, fake_fal: FakeFal) -> None:
    fake_fal.hold = True
    created = await start(polling, "fal-ltx-video", prompt="waves")
    running = await wait_for(polling, created["id"], {"processing"}, externalJobId=True)
    rid = running["externalJobId"]
    started = time.monotonic()
    await polling.post(f"/api/v1/generations/{created['id']}/cancel")
    await eventually(lambda: fake_fal.count("PUT", f"/fal-ai/ltx-video/requests/{rid}/cancel") == 1, 2)
    assert time.monotonic() - started < 2
    assert (await polling.get(f"/api/v1/generations/{created['id']}")).json()["status"] == "cancelled"


async def test_openai_image_is_stored_from_base64(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    params = {"prompt": "a heron", "quality": "hd"}
    estimate = await polling.post("/api/v1/generators/openai-dall-e-3/estimate", json={"inputParams": params})
    assert estimate.json()["estimatedCost"] == 0.08
    created = await start(polling, "openai-dall-e-3", **params)
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "completed", done
    sent = next(c for c in fake_openai.calls if c.path == "/v1/images/generations").json()
    assert sent == {"model": "dall-e-3", "prompt": "a heron", "size": "1024x1024", "quality": "hd",
                    "style": "vivid", "n": 1, "response_format": "b64_json"}  # fmt: skip
    assert done["externalJobId"].startswith("req_")
    assert (await polling.get(done["storageUrl"])).content.startswith(b"\x89PNG")


async def test_openai_content_policy_refusal_fails_without_retry(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    created = await start(polling, "openai-gpt-image-1", prompt="something forbidden")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "failed"
    assert "rejected as a result of our safety system" in done["errorMessage"]
    await asyncio.sleep(1.5)
    assert fake_openai.count("POST", "/v1/images/generations") == 1


async def test_openai_429_is_retried_but_an_unpaid_account_is_not(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    fake_openai.replies.append(
        Reply(429, {"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}})
    )
    created = await start(polling, "openai-gpt-image-1", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"}, within_s=15)
    assert done["status"] == "completed", done
    fake_openai.replies.append(
        Reply(429, {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}})
    )
    created = await start(polling, "openai-gpt-image-1", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert (done["status"], "exceeded your quota" in done["errorMessage"]) == ("failed", True)


async def test_openai_cancel_abandons_the_request_quickly(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    fake_openai.delay_s = 5
    created = await start(polling, "openai-gpt-image-1", prompt="slow")
    await wait_for(polling, created["id"], {"processing"}, min_progress=0.1)
    await eventually(lambda: fake_openai.count("POST", "/v1/images/generations") == 1)
    started = time.monotonic()
    await polling.post(f"/api/v1/generations/{created['id']}/cancel")
    await asyncio.sleep(2.0)
    final = (await polling.get(f"/api/v1/generations/{created['id']}")).json()
    assert (final["status"], final["storageUrl"]) == ("cancelled", None)
    assert time.monotonic() - started < 4


async def test_without_keys_provider_generators_are_not_registered(client: httpx.AsyncClient) -> None:
    """The default app has no provider keys: they are absent from the list and unknown when asked for."""
    names = [g["name"] for g in (await client.get("/api/v1/generators")).json()]
    assert names and not [n for n in names if n.split("-")[0] in ("replicate", "fal", "openai")]
    board = (await client.post("/api/v1/boards", json={"title": "keyless"})).json()
    response = await client.post(
        "/api/v1/generations",
        json={
            "boardId": board["id"],
            "generatorName": "replicate-flux-schnell",
            "inputParams": {"prompt": "x"},
        },
    )
    assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")
    assert (await client.post("/api/v1/webhooks/replicate", content=b"{}")).status_code == 404


async def test_with_keys_they_are_listed_with_their_schemas(polling: httpx.AsyncClient) -> None:
    listed = {g["name"]: g for g in (await polling.get("/api/v1/generators")).json()}
    assert {"replicate-flux-schnell", "replicate-minimax-video", "fal-flux-schnell", "fal-ltx-video",
            "openai-gpt-image-1", "openai-dall-e-3", "openai-sora-2"} <= set(listed)  # fmt: skip
    assert listed["replicate-minimax-video"]["artifactType"] == "video"
    assert listed["replicate-minimax-video"]["inputSchema"]["properties"]["first_frame_image"]
    estimate = await polling.post(
        "/api/v1/generators/replicate-flux-schnell/estimate",
        json={"inputParams": {"prompt": "x", "num_outputs": 4}},
    )
    assert estimate.json()["estimatedCost"] == 0.012


async def test_sora_video_is_polled_then_its_content_stored(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    created = await start(polling, "openai-sora-2", prompt="waves at dusk", seconds="8")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert (done["status"], done["artifactType"]) == ("completed", "video"), done
    [video] = fake_openai.videos.values()
    assert (video["model"], video["seconds"], done["externalJobId"]) == ("sora-2", "8", video["id"])
    assert fake_openai.count("GET", f"/v1/videos/{video['id']}/content") == 1
    clip = await polling.get(done["storageUrl"])
    assert (clip.headers["content-type"], clip.content[4:8]) == ("video/mp4", b"ftyp")
    estimate = await polling.post(
        "/api/v1/generators/openai-sora-2/estimate", json={"inputParams": {"prompt": "x"}}
    )
    assert estimate.json()["estimatedCost"] == 0.4  # 4 s x 0.10


async def test_a_failed_sora_video_fails_with_openais_reason(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    fake_openai.video_error = {
        "code": "moderation_blocked",
        "message": "The prompt was flagged by moderation.",
    }
    created = await start(polling, "openai-sora-2", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "failed"
    assert done["errorMessage"] == "openai: The prompt was flagged by moderation."


async def test_an_image_url_is_fetched_without_the_api_key(
    polling: httpx.AsyncClient, fake_openai: FakeOpenAI
) -> None:
    fake_openai.replies.append(
        Reply(body={"created": 1, "data": [{"url": f"{fake_openai.url}/files/img.png"}]})
    )
    created = await start(polling, "openai-gpt-image-1", prompt="x")
    done = await wait_for(polling, created["id"], {"completed", "failed"})
    assert done["status"] == "completed", done
    [fetch] = [c for c in fake_openai.calls if c.path == "/files/img.png"]
    assert "authorization" not in fetch.headers
    assert (await polling.get(done["storageUrl"])).content.startswith(b"\x89PNG")
