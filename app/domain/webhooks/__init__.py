"""Provider webhooks: record each verified delivery once and hand it to the generation it is about."""

from app.domain.webhooks.service import (
    MatchedGeneration,
    WebhookDelivery,
    WebhookRelay,
    WebhookService,
    WebhookStore,
)

__all__ = ["MatchedGeneration", "WebhookDelivery", "WebhookRelay", "WebhookService", "WebhookStore"]
