"""Replicate: predictions over HTTP (POST /v1/models/{owner}/{name}/predictions, GET and cancel by id) and
webhooks signed with the Standard Webhooks scheme (HMAC-SHA256 with the account's `whsec_` secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from app.generators.base import GeneratorContext, GeneratorResult
from app.generators.providers._http import send
from app.generators.providers._polling import JobState, Status, log_percent
from app.generators.providers.catalog_base import CatalogGenerator
from app.generators.providers.webhooks import VerifiedWebhook, WebhookRejected, fresh, json_object, required

PROVIDER = "replicate"
BASE_URL = "https://api.replicate.com"
STATUSES: dict[str, Status] = {
    "starting": "queued", "processing": "running", "succeeded": "succeeded",
    "failed": "failed", "canceled": "canceled", "aborted": "failed",
}  # fmt: skip
WEBHOOK_EVENTS = ["start", "logs", "completed"]


def prediction_state(prediction: dict[str, Any]) -> JobState:
    status = STATUSES.get(str(prediction.get("status")), "running")
    percent = log_percent(prediction.get("logs") or "")
    fraction = None if percent is None else percent / 100
    message = f"running at Replicate ({percent}%)" if percent is not None and status == "running" else None
    error = prediction.get("error")
    return JobState(
        status, fraction=fraction, message=message, output=prediction.get("output"),
        error=str(error) if error else None,
    )  # fmt: skip


class Prediction:
    """One prediction (a RemoteJob)."""

    provider = PROVIDER

    def __init__(self, http: httpx.AsyncClient, model: str, *, webhook_url: str | None, wait_s: int | None):
        self.http, self.model, self.webhook_url, self.wait_s = http, model, webhook_url, wait_s
        self.id = ""
        self.metrics: dict[str, Any] = {}

    def _seen(self, prediction: dict[str, Any]) -> JobState:
        self.id = str(prediction.get("id") or self.id)
        self.metrics = prediction.get("metrics") or self.metrics
        return prediction_state(prediction)

    async def start(self, body: dict[str, Any]) -> JobState:
        payload: dict[str, Any] = {"input": body}
        if self.webhook_url:
            payload |= {"webhook": self.webhook_url, "webhook_events_filter": WEBHOOK_EVENTS}
        headers = {"Prefer": f"wait={self.wait_s}"} if self.wait_s else {}
        if ":" in self.model:  # owner/name:version → the versioned endpoint
            payload["version"] = self.model.split(":", 1)[1]
            url = "/v1/predictions"
        else:
            url = f"/v1/models/{self.model}/predictions"
        return self._seen(await send(PROVIDER, self.http, "POST", url, json=payload, headers=headers))

    async def resume(self, job_id: str) -> JobState | None:
        self.id = job_id
        state = await self.refresh()
        return None if state.status == "canceled" else state

    async def refresh(self) -> JobState:
        return self._seen(await send(PROVIDER, self.http, "GET", f"/v1/predictions/{self.id}"))

    def from_event(self, payload: dict[str, Any]) -> JobState | None:
        return self._seen(payload) if payload.get("id") == self.id else None

    async def cancel(self) -> None:
        await send(PROVIDER, self.http, "POST", f"/v1/predictions/{self.id}/cancel")


class ReplicatePredictionsGenerator(CatalogGenerator):
    """The generic adapter of Replicate's predictions API: any catalog entry with `provider: replicate`
    (`model` is owner/name, or owner/name:version for a pinned version)."""

    provider = PROVIDER
    key_setting = "ATELIER_REPLICATE_API_TOKEN"
    supports_webhooks = True

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        body = await self.provider_input(inputs, context)
        auth = {"Authorization": f"Bearer {self.settings.api_key}"}
        async with self.client(auth, BASE_URL) as http:
            job = Prediction(
                http, self.model_id, webhook_url=self.webhook_url, wait_s=self.settings.prefer_wait_seconds
            )
            state = await self.run_remote(context, job, body)
        metadata = {"provider": PROVIDER, "model": self.model_id, "prediction_id": job.id}
        if job.metrics.get("predict_time") is not None:
            metadata["predict_time"] = job.metrics["predict_time"]
        return await self.store_result(context, state.output, metadata)


class ReplicateWebhooks:
    """Standard Webhooks verification: webhook-signature = `v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`
    (space-separated when several keys are active). The secret is configured, or fetched once from
    GET /v1/webhooks/default/secret with the API token."""

    provider = PROVIDER

    def __init__(
        self, *, secret: str | None, api_token: str | None, base_url: str | None,
        now: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self._secret, self._token, self._base = secret, api_token, base_url or BASE_URL
        self._now = now

    async def secret(self) -> bytes:
        if self._secret is None:
            if not self._token:
                raise WebhookRejected("no Replicate webhook secret is configured")
            async with httpx.AsyncClient(base_url=self._base, timeout=10.0) as http:
                auth = {"Authorization": f"Bearer {self._token}"}
                body = await send(PROVIDER, http, "GET", "/v1/webhooks/default/secret", headers=auth)
            self._secret = str(body["key"])
        return base64.b64decode(self._secret.removeprefix("whsec_"))

    async def verify(self, headers: Mapping[str, str], body: bytes) -> VerifiedWebhook:
        delivery, timestamp, signatures = required(
            headers, "webhook-id", "webhook-timestamp", "webhook-signature"
        )
        fresh(timestamp, self._now())
        signed = f"{delivery}.{timestamp}.".encode() + body
        expected = base64.b64encode(hmac.new(await self.secret(), signed, hashlib.sha256).digest()).decode()
        offered = [part.split(",", 1)[1] for part in signatures.split() if part.startswith("v1,")]
        if not any(hmac.compare_digest(expected, sig) for sig in offered):
            raise WebhookRejected("bad signature")
        payload = json_object(body)
        if not payload.get("id"):
            raise WebhookRejected("the payload names no prediction")
        return VerifiedWebhook(PROVIDER, delivery, str(payload["id"]), payload.get("status"), payload)
