"""fal: the queue API (POST https://queue.fal.run/{model} → request_id and status/response/cancel URLs) and
webhooks (`fal_webhook` query parameter) signed with ED25519 over request id, user id, timestamp and the
body's SHA-256, verified against the public keys of a JWKS URL."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.generators.base import GeneratorContext, GeneratorResult
from app.generators.providers._http import send
from app.generators.providers._polling import JobState, log_percent
from app.generators.providers.catalog_base import CatalogGenerator
from app.generators.providers.webhooks import VerifiedWebhook, WebhookRejected, fresh, json_object, required

PROVIDER = "fal"
BASE_URL = "https://queue.fal.run"
JWKS_URL = "https://rest.fal.ai/.well-known/jwks.json"
JWKS_CACHE_S = 24 * 3600  # fal: cache the keys at most a day (they rotate)
JWKS_REFETCH_S = 60  # an unknown signature refetches the keys, at most this often


class FalRequest:
    """One queued request (a RemoteJob)."""

    provider = PROVIDER

    def __init__(self, http: httpx.AsyncClient, model: str, *, webhook_url: str | None) -> None:
        self.http, self.model, self.webhook_url = http, model, webhook_url
        self.id = ""
        self.urls: dict[str, str] = {}

    def _default_urls(self) -> dict[str, str]:
        """Status/result/cancel live under the app id (owner/name), without the model's sub-path."""
        base = f"/{'/'.join(self.model.split('/')[:2])}/requests/{self.id}"
        return {"status_url": f"{base}/status", "response_url": base, "cancel_url": f"{base}/cancel"}

    async def start(self, body: dict[str, Any]) -> JobState:
        params = {"fal_webhook": self.webhook_url} if self.webhook_url else None
        queued = await send(PROVIDER, self.http, "POST", f"/{self.model}", json=body, params=params)
        self.id = str(queued["request_id"])
        self.urls = {**self._default_urls(), **{k: v for k, v in queued.items() if k.endswith("_url") and v}}
        return JobState("queued", message=_position(queued))

    async def resume(self, job_id: str) -> JobState | None:
        self.id = job_id
        self.urls = self._default_urls()
        state = await self.refresh()
        return None if state.status == "canceled" else state

    async def refresh(self) -> JobState:
        status = await send(PROVIDER, self.http, "GET", self.urls["status_url"], params={"logs": 1})
        name = str(status.get("status"))
        if name == "IN_QUEUE":
            return JobState("queued", message=_position(status))
        if name == "IN_PROGRESS":
            logs = "\n".join(str(line.get("message", "")) for line in status.get("logs") or [])
            percent = log_percent(logs)
            message = f"running at fal ({percent}%)" if percent is not None else "running at fal"
            return JobState("running", fraction=None if percent is None else percent / 100, message=message)
        if name in ("CANCELED", "CANCELLED"):
            return JobState("canceled")
        if name in ("FAILED", "ERROR") or status.get("error"):
            return JobState("failed", error=str(status.get("error") or name))
        return JobState("succeeded", output=await self.result())  # COMPLETED

    async def result(self) -> Any:
        """The model's output; a failed request answers here with its error (4xx: permanent)."""
        return await send(PROVIDER, self.http, "GET", self.urls["response_url"])

    def from_event(self, payload: dict[str, Any]) -> JobState | None:
        if payload.get("request_id") != self.id:
            return None
        if payload.get("status") == "OK":
            return JobState("succeeded", output=payload.get("payload"))  # None: too big to inline, fetched
        detail = payload.get("payload") or {}
        reason = detail.get("detail") if isinstance(detail, dict) else None
        error = str(payload.get("error") or "the request failed")
        return JobState("failed", error=f"{error}: {reason}" if reason else error)

    async def cancel(self) -> None:
        await send(
            PROVIDER, self.http, "PUT", self.urls.get("cancel_url") or self._default_urls()["cancel_url"]
        )


def _position(status: dict[str, Any]) -> str:
    position = status.get("queue_position")
    return f"queued at fal (position {position})" if position is not None else "queued at fal"


class FalQueueGenerator(CatalogGenerator):
    """The generic adapter of fal's queue API: any catalog entry with `provider: fal`."""

    provider = PROVIDER
    key_setting = "ATELIER_FAL_KEY"
    supports_webhooks = True

    async def run(self, inputs: Any, context: GeneratorContext) -> GeneratorResult:
        body = await self.provider_input(inputs, context)
        async with self.client({"Authorization": f"Key {self.settings.api_key}"}, BASE_URL) as http:
            job = FalRequest(http, self.model_id, webhook_url=self.webhook_url)
            state = await self.run_remote(context, job, body)
            output = state.output if state.output is not None else await job.result()
        metadata = {"provider": PROVIDER, "model": self.model_id, "request_id": job.id}
        return await self.store_result(context, output, metadata)


class FalWebhooks:
    """Verifies `X-Fal-Webhook-Signature` (hex ED25519) over `request_id\\nuser_id\\ntimestamp\\nsha256hex(body)`
    with any key of the JWKS (cached; refetched when no cached key verifies)."""

    provider = PROVIDER

    def __init__(self, *, jwks_url: str | None, now: Callable[[], float] = time.time) -> None:
        self._url, self._now = jwks_url or JWKS_URL, now
        self._keys: list[Ed25519PublicKey] = []
        self._fetched = 0.0

    async def keys(self, *, refetch: bool = False) -> list[Ed25519PublicKey]:
        age = time.monotonic() - self._fetched
        if not self._keys or age > JWKS_CACHE_S or (refetch and age > JWKS_REFETCH_S):
            async with httpx.AsyncClient(timeout=10.0) as http:
                jwks = await send(PROVIDER, http, "GET", self._url)
            self._keys = [
                Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(k["x"] + "=" * (-len(k["x"]) % 4)))
                for k in jwks.get("keys", []) if k.get("kty") == "OKP" and k.get("crv") == "Ed25519"
            ]  # fmt: skip
            self._fetched = time.monotonic()
        return self._keys

    async def verify(self, headers: Mapping[str, str], body: bytes) -> VerifiedWebhook:
        request_id, user_id, timestamp, signature = required(
            headers, "x-fal-webhook-request-id", "x-fal-webhook-user-id",
            "x-fal-webhook-timestamp", "x-fal-webhook-signature",
        )  # fmt: skip
        fresh(timestamp, self._now())
        try:
            raw = bytes.fromhex(signature)
        except ValueError:
            raise WebhookRejected("malformed signature") from None
        message = "\n".join([request_id, user_id, timestamp, hashlib.sha256(body).hexdigest()]).encode()
        if not (
            _verifies(await self.keys(), raw, message)
            or _verifies(await self.keys(refetch=True), raw, message)
        ):
            raise WebhookRejected("bad signature")
        payload = json_object(body)
        status = str(payload.get("status") or "")
        external = str(payload.get("request_id") or request_id)
        return VerifiedWebhook(PROVIDER, f"{request_id}:{status}", external, status or None, payload)


def _verifies(keys: list[Ed25519PublicKey], signature: bytes, message: bytes) -> bool:
    for key in keys:
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        return True
    return False
