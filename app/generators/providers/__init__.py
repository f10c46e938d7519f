"""Provider adapters: one generic adapter per provider API (fal queue, Replicate predictions, OpenAI
images/videos/chat/speech) over httpx, each turning any catalog entry (app.generators.catalog) into a
generator; tested against local fakes.

A provider generator whose API key is missing is NOT registered (it is left out of `generators`, and asking
for it is "unknown generator"), with one log line saying which setting would enable it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.generators.catalog import CatalogEntry, builtin_entries
from app.generators.providers import fal, openai, replicate
from app.generators.providers._base import ProviderConfig, ProviderGenerator
from app.generators.providers.catalog_base import CatalogGenerator
from app.generators.providers.webhooks import VerifiedWebhook, WebhookRejected, WebhookVerifier

if TYPE_CHECKING:
    from app.settings import Settings


def adapter_for(entry: CatalogEntry) -> type[CatalogGenerator]:
    """The generator class of one catalog entry, on its provider API's generic adapter."""
    if entry.provider == "fal":
        return fal.FalQueueGenerator.for_entry(entry)
    if entry.provider == "replicate":
        return replicate.ReplicatePredictionsGenerator.for_entry(entry)
    return openai.ADAPTERS[entry.api_name].for_entry(entry)


def catalog_classes(entries: Iterable[CatalogEntry]) -> list[type[CatalogGenerator]]:
    return [adapter_for(entry) for entry in entries]


@functools.cache
def builtin_catalog() -> tuple[type[CatalogGenerator], ...]:
    """The shipped catalog's generator classes (their input models are built once per process)."""
    return tuple(catalog_classes(builtin_entries()))


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter is not None else None


def provider_config(settings: Settings) -> ProviderConfig:
    return ProviderConfig(
        keys={
            "replicate": _secret(settings.replicate_api_token),
            "fal": _secret(settings.fal_key),
            "openai": _secret(settings.openai_api_key),
        },
        base_urls={
            "replicate": settings.replicate_base_url,
            "fal": settings.fal_queue_url,
            "openai": settings.openai_base_url,
        },
        public_base_url=settings.public_base_url,
        poll_initial_seconds=settings.provider_poll_initial_seconds,
        poll_max_seconds=settings.provider_poll_max_seconds,
        webhook_poll_seconds=settings.provider_webhook_poll_seconds,
        max_download_bytes=settings.provider_max_download_bytes,
        download_timeout_seconds=settings.provider_download_timeout_seconds,
    )


def webhook_verifiers(settings: Settings) -> dict[str, WebhookVerifier]:
    """One verifier per provider that can call back (a provider with no key sends no webhooks here)."""
    verifiers: dict[str, WebhookVerifier] = {}
    token, secret = _secret(settings.replicate_api_token), _secret(settings.replicate_webhook_secret)
    if token or secret:
        verifiers["replicate"] = replicate.ReplicateWebhooks(
            secret=secret, api_token=token, base_url=settings.replicate_base_url
        )
    if _secret(settings.fal_key):
        verifiers["fal"] = fal.FalWebhooks(jwks_url=settings.fal_jwks_url)
    return verifiers


__all__ = [
    "CatalogGenerator",
    "ProviderConfig",
    "ProviderGenerator",
    "VerifiedWebhook",
    "WebhookRejected",
    "WebhookVerifier",
    "adapter_for",
    "builtin_catalog",
    "catalog_classes",
    "provider_config",
    "webhook_verifiers",
]
