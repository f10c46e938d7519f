"""Signed provider webhooks: verified, recorded once, relayed to the worker that finishes the generation."""

from __future__ import annotations

import time
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.fakes import replicate
from tests.fakes.fal import FakeFal
from tests.fakes.replicate import FakeReplicate
from tests.integration.providers.conftest import PUBLIC_URL, eventually, start, wait_for


async def _events(engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT provider, event_id, event_type, generation_id, tenant_id, processed_at, error_message"
                 " FROM webhook_events ORDER BY received_at")
        )  # fmt: skip
        return [dict(row._mapping) for row in rows]


async def test_replicate_success_via_webhook_then_a_duplicate_is_not_processed_again(
    hooked: httpx.AsyncClient, fake_replicate: FakeReplicate, engine: AsyncEngine
) -> None:
    fake_replicate.hold = True
    created = await start(hooked, "replicate-flux-schnell", prompt="a heron")
    running = await wait_for(hooked, created["id"], {"processing"}, externalJobId=True)
    prediction = fake_replicate.only()
    assert prediction["webhook"] == f"{PUBLIC_URL}/api/v1/webhooks/replicate"
    assert prediction["webhook_events_filter"] == ["start", "logs", "completed"]
    await eventually(
        lambda: fake_replicate.count("GET", "/v1/predictions/") == 1
    )  # the first look, then events
    polls = fake_replicate.count("GET", "/v1/predictions/")
    finished = fake_replicate.finish(running["externalJobId"])
    headers, body = replicate.sign(finished)
    first = await hooked.post("/api/v1/webhooks/replicate", content=body, headers=headers)
    assert (first.status_code, first.json()) == (200, {"status": "delivered"})
    done = await wait_for(hooked, created["id"], {"completed", "failed"}, within_s=5)
    assert done["status"] == "completed", done
    assert fake_replicate.count("GET", "/v1/predictions/") == polls  # the webhook finished it, not a poll
    again = await hooked.post("/api/v1/webhooks/replicate", content=body, headers=headers)
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    events = await _events(engine)
    assert len(events) == 1
    assert events[0]["event_id"] == headers["webhook-id"]
    assert str(events[0]["generation_id"]) == created["id"]
    assert events[0]["tenant_id"] is not None and events[0]["processed_at"] is not None
    assert fake_replicate.count("GET", "/files/") == 1  # the output was fetched once


async def test_bad_missing_and_stale_signatures_are_401_problems(
    hooked: httpx.AsyncClient, fake_replicate: FakeReplicate, fake_fal: FakeFal, engine: AsyncEngine
) -> None:
    payload = {"id": "p1", "status": "succeeded", "output": []}
    good_headers, body = replicate.sign(payload)
    forged = {**good_headers, "webhook-signature": "v1," + "A" * 44}
    wrong_secret, _ = replicate.sign(payload, secret="whsec_" + "QkFE" * 8)
    stale, stale_body = replicate.sign(payload, timestamp=int(time.time()) - 3600)
    missing = {k: v for k, v in good_headers.items() if k != "webhook-signature"}
    tampered = body.replace(b"succeeded", b"failed\x20\x20\x20")
    cases = [
        (forged, body),
        (wrong_secret, body),
        (stale, stale_body),
        (missing, body),
        (good_headers, tampered),
    ]
    for headers, content in cases:
        response = await hooked.post("/api/v1/webhooks/replicate", content=content, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "UNAUTHENTICATED"
    fal_payload = {"request_id": "r1", "status": "OK", "payload": {}}
    other_key = Ed25519PrivateKey.generate()
    for headers, content in [
        fake_fal.sign(fal_payload, request_id="r1", key=other_key),
        fake_fal.sign(fal_payload, request_id="r1", timestamp=int(time.time()) + 3600),
        ({**fake_fal.sign(fal_payload, request_id="r1")[0], "x-fal-webhook-signature": "zz"}, b"{}"),
    ]:
        response = await hooked.post("/api/v1/webhooks/fal", content=content, headers=headers)
        assert (response.status_code, response.json()["code"]) == (401, "UNAUTHENTICATED"), response.text
    assert await _events(engine) == []  # nothing unverified is recorded
    unknown = await hooked.post("/api/v1/webhooks/nobody", content=b"{}")
    assert unknown.status_code == 404


async def test_a_verified_webhook_for_no_generation_is_recorded_as_unmatched(
    hooked: httpx.AsyncClient, fake_replicate: FakeReplicate, engine: AsyncEngine
) -> None:
    headers, body = replicate.sign({"id": "unknown-prediction", "status": "succeeded"})
    response = await hooked.post("/api/v1/webhooks/replicate", content=body, headers=headers)
    assert response.json() == {"status": "unmatched"}
    [event] = await _events(engine)
    assert (event["generation_id"], event["processed_at"]) == (None, None)
    assert "unknown-prediction" in event["error_message"]


async def test_fal_success_via_signed_webhook(
    hooked: httpx.AsyncClient, fake_fal: FakeFal, engine: AsyncEngine
) -> None:
    fake_fal.hold = True
    created = await start(hooked, "fal-flux-schnell", prompt="a heron")
    running = await wait_for(hooked, created["id"], {"processing"}, externalJobId=True)
    rid = running["externalJobId"]
    assert fake_fal.requests[rid]["webhook"] == f"{PUBLIC_URL}/api/v1/webhooks/fal"
    result = fake_fal.finish(rid)
    headers, body = fake_fal.sign({"request_id": rid, "gateway_request_id": rid, "status": "OK",
                                   "payload": result}, request_id=rid)  # fmt: skip
    response = await hooked.post("/api/v1/webhooks/fal", content=body, headers=headers)
    assert response.json() == {"status": "delivered"}
    done = await wait_for(hooked, created["id"], {"completed", "failed"}, within_s=5)
    assert done["status"] == "completed", done
    assert done["outputMetadata"]["seed"] == 42
    assert (await hooked.get(done["storageUrl"])).content.startswith(b"\xff\xd8")  # FLUX on fal: JPEG
    [event] = await _events(engine)
    assert (event["provider"], event["event_id"], event["event_type"]) == ("fal", f"{rid}:OK", "OK")


async def test_a_webhook_after_cancellation_changes_nothing(
    hooked: httpx.AsyncClient, fake_replicate: FakeReplicate, engine: AsyncEngine
) -> None:
    fake_replicate.hold = True
    created = await start(hooked, "replicate-flux-schnell", prompt="x")
    running = await wait_for(hooked, created["id"], {"processing"}, externalJobId=True)
    await hooked.post(f"/api/v1/generations/{created['id']}/cancel")
    headers, body = replicate.sign(fake_replicate.finish(running["externalJobId"]))
    response = await hooked.post("/api/v1/webhooks/replicate", content=body, headers=headers)
    assert response.json() == {"status": "ignored"}
    final = (await hooked.get(f"/api/v1/generations/{created['id']}")).json()
    assert (final["status"], final["storageUrl"]) == ("cancelled", None)
    [event] = await _events(engine)
    assert "cancelled" in event["error_message"]
