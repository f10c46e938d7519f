"""Provider webhooks: record each verified delivery once and hand it to the generation it is about."""

from app.domain.webhooks.ports import MatchedGeneration, WebhookDelivery, WebhookRelay, WebhookStore
from app.domain.webhooks.service import WebhookService

__all__ = ["MatchedGeneration", "WebhookDelivery", "WebhookRelay", "WebhookService", "WebhookStore"]
