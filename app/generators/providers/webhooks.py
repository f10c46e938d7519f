"""Webhook verification: each provider's scheme turns (headers, raw body) into a VerifiedWebhook or refuses it.

Verification works on the raw bytes (re-serialised JSON would not match the signature) and refuses stale
timestamps (replays). Nothing here touches the database: the API records and routes what was verified.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

TOLERANCE_S = 300  # both schemes: a delivery older or newer than five minutes is a replay or a bad clock


class WebhookRejected(Exception):
    """Missing, malformed, stale or wrong signature: the delivery is not from the provider."""


@dataclass(frozen=True)
class VerifiedWebhook:
    provider: str
    delivery_id: str  # unique per delivery (redeliveries repeat it): the idempotency key
    external_id: str  # the provider's job id, matched to generations.external_job_id
    event_type: str | None
    payload: dict[str, Any]


class WebhookVerifier(Protocol):
    provider: str

    async def verify(self, headers: Mapping[str, str], body: bytes) -> VerifiedWebhook: ...


def required(headers: Mapping[str, str], *names: str) -> list[str]:
    values = [headers.get(name) or "" for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise WebhookRejected(f"missing {', '.join(missing)}")
    return values


def fresh(timestamp: str, now: float) -> None:
    try:
        sent = int(timestamp)
    except ValueError:
        raise WebhookRejected("malformed timestamp") from None
    if abs(now - sent) > TOLERANCE_S:
        raise WebhookRejected("stale timestamp")


def json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRejected("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookRejected("the body is not a JSON object")
    return payload
