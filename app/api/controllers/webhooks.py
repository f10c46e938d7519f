"""POST /api/v1/webhooks/{provider}: signed provider callbacks (Replicate, fal). No user: the signature over
the raw body is the authentication; a missing, stale or wrong one is 401 problem+json."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import WebhookReceipt
from app.db.transactions import after_commit_list
from app.domain.errors import NotFound, Unauthenticated
from app.domain.webhooks import WebhookDelivery
from app.generators.providers import WebhookRejected, WebhookVerifier
from app.wiring import build_webhook_service

MAX_BODY = 10 * 1024 * 1024


class PayloadTooLarge(HTTPException):
    status_code = 413


class WebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["Webhooks"]

    @post(
        "/{provider:str}", operation_id="ReceiveProviderWebhook", status_code=200,
        summary="A provider's signed callback about a job (recorded once, relayed to its generation)",
    )  # fmt: skip
    async def receive_provider_webhook(
        self,
        request: Request[Any, Any, Any],
        state: State,
        provider: FromPath[str],
        db_session: NamedDependency[AsyncSession],
    ) -> WebhookReceipt:
        verifiers: dict[str, WebhookVerifier] = state.webhook_verifiers
        verifier = verifiers.get(provider)
        if verifier is None:
            raise NotFound(f"no webhooks are configured for provider {provider!r}")
        body = await request.body()
        if len(body) > MAX_BODY:
            raise PayloadTooLarge(detail=f"a webhook body is limited to {MAX_BODY} bytes")
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            verified = await verifier.verify(headers, body)
        except WebhookRejected as error:
            raise Unauthenticated(f"webhook rejected: {error}") from None
        service = build_webhook_service(db_session, state.redis, after_commit_list(request.scope))
        outcome = await service.receive(
            WebhookDelivery(
                provider=verified.provider, delivery_id=verified.delivery_id, external_id=verified.external_id,
                event_type=verified.event_type, payload=verified.payload,
            )
        )  # fmt: skip
        return WebhookReceipt(status=outcome)
