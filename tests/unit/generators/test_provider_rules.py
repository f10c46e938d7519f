"""The provider adapters' pure rules: error classification and messages, log percentages, output URLs, and
the Standard Webhooks signature check (no IO)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.generators.base import PermanentError
from app.generators.providers._base import output_urls
from app.generators.providers._http import TransientProviderError, check, provider_message
from app.generators.providers._polling import log_percent
from app.generators.providers.replicate import ReplicateWebhooks, prediction_state
from app.generators.providers.webhooks import WebhookRejected
from tests.fakes.replicate import SECRET, sign

text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80).filter(str.strip)


@given(message=text, shape=st.sampled_from(["openai", "replicate", "fal"]))
def test_the_providers_own_message_is_kept(message: str, shape: str) -> None:
    body = {
        "openai": {"error": {"message": message, "type": "invalid_request_error", "code": None}},
        "replicate": {"title": "Input validation failed", "detail": message, "status": 422},
        "fal": {"detail": [{"loc": ["body", "prompt"], "msg": message, "type": "value_error"}]},
    }[shape]
    found = provider_message(httpx.Response(422, json=body))
    assert message[:400] in found


@given(status=st.integers(400, 599))
def test_4xx_is_permanent_and_busy_or_broken_is_transient(status: int) -> None:
    response = httpx.Response(status, json={"detail": "nope"})
    transient = status in (408, 409, 425, 429) or status >= 500
    with pytest.raises(TransientProviderError if transient else PermanentError, match="nope"):
        check("replicate", response)


def test_an_exhausted_quota_is_permanent_even_as_429() -> None:
    body = {"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}}
    with pytest.raises(PermanentError, match="exceeded your current quota"):
        check("openai", httpx.Response(429, json=body))


@given(percents=st.lists(st.integers(0, 100), min_size=1, max_size=8), noise=text)
def test_the_last_progress_bar_wins(percents: list[int], noise: str) -> None:
    logs = "\n".join(f"{noise.replace('%', '')}\n{p:3d}%|{'█' * (p // 10)}| {p}/100" for p in percents)
    assert log_percent(logs) == percents[-1]
    state = prediction_state({"id": "p", "status": "processing", "logs": logs})
    assert state.fraction == percents[-1] / 100


def test_no_progress_bar_means_no_fraction() -> None:
    assert log_percent("loading weights\nwarming up 50 %") is None


def test_output_urls_are_found_in_any_shape() -> None:
    output = {"images": [{"url": "https://cdn/a.png"}, {"url": "https://cdn/b.png"}], "seed": 3,
              "video": {"url": "https://cdn/c.mp4"}, "note": "not a url"}  # fmt: skip
    assert output_urls(output) == ["https://cdn/a.png", "https://cdn/b.png", "https://cdn/c.mp4"]
    assert output_urls("https://x/y.webp") == ["https://x/y.webp"]
    assert output_urls(None) == []


@given(body=st.dictionaries(st.text(max_size=8), st.integers(), max_size=4))
def test_replicate_signatures_verify_and_any_change_is_refused(body: dict[str, int]) -> None:
    payload = {"id": "pred-1", "status": "succeeded", **{f"k{k}": v for k, v in body.items()}}
    headers, raw = sign(payload, timestamp=1_000_000)
    verifier = ReplicateWebhooks(secret=SECRET, api_token=None, base_url=None, now=lambda: 1_000_100)
    verified = asyncio.run(verifier.verify(headers, raw))
    assert (verified.delivery_id, verified.external_id, verified.payload) == (
        headers["webhook-id"],
        "pred-1",
        payload,
    )
    with pytest.raises(WebhookRejected, match="bad signature"):
        asyncio.run(verifier.verify(headers, raw + b" "))
    with pytest.raises(WebhookRejected, match="bad signature"):
        asyncio.run(verifier.verify({**headers, "webhook-id": "msg_other"}, raw))


def test_replicate_refuses_deliveries_outside_five_minutes() -> None:
    headers, raw = sign({"id": "p"}, timestamp=1_000_000)
    for now in (1_000_000 - 301, 1_000_000 + 301):
        verifier = ReplicateWebhooks(secret=SECRET, api_token=None, base_url=None, now=lambda n=now: n)
        with pytest.raises(WebhookRejected, match="stale"):
            asyncio.run(verifier.verify(headers, raw))
    verifier = ReplicateWebhooks(secret=SECRET, api_token=None, base_url=None, now=lambda: 1_000_300)
    assert asyncio.run(verifier.verify(headers, raw)).external_id == "p"


def test_a_second_active_key_signature_is_accepted() -> None:
    headers, raw = sign({"id": "p"}, timestamp=1_000_000)
    rotated = {**headers, "webhook-signature": "v1,bm90LXRoaXMtb25l " + headers["webhook-signature"]}
    verifier = ReplicateWebhooks(secret=SECRET, api_token=None, base_url=None, now=lambda: 1_000_000)
    assert asyncio.run(verifier.verify(rotated, raw)).external_id == "p"
