"""create_app(settings): the Litestar application serving REST (OpenAPI) and GraphQL side by side."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from redis.asyncio import Redis

from app import __version__
from app.api.controllers import (
    AdminController,
    ApiKeyController,
    AuthController,
    BatchController,
    BoardController,
    CreditController,
    DirectUploadController,
    EmailFlowController,
    EventController,
    FileController,
    GenerationController,
    GeneratorController,
    InstanceTenantController,
    InvitationController,
    MemberController,
    SavedViewController,
    SearchController,
    SystemController,
    TagController,
    TenantController,
    UserController,
    WebController,
    WebhookController,
)
from app.api.controllers.metrics import MetricsController, gauge_probes, metrics_port, served_on_api
from app.api.controllers.uploads import upload_controllers_for
from app.api.deps import SERVICES
from app.api.errors import EXCEPTION_HANDLERS
from app.api.openapi import refine_openapi
from app.api.openapi_problems import document_problems
from app.api.strict import complete_allow_header, strict_json_body
from app.auth import ActorMiddleware
from app.auth.authenticator import Authenticator
from app.auth.bootstrap import auth_secret
from app.auth.identity_changes import IdentityChanges
from app.auth.login_throttle import RedisLoginThrottle
from app.auth.passwords import Argon2PasswordHasher
from app.auth.rate_limit import STORE as RATE_LIMIT_STORE
from app.auth.rate_limit import FailOpenRedisStore, rate_limit_middleware
from app.auth.revocations import Revocations
from app.auth.tokens import JwtVerifier, LocalTokenIssuer, Provider, resolve_preset
from app.db.config import make_alchemy_config
from app.domain.tenants import InstanceAdmins
from app.domain.uploads import UploadLimits
from app.generators import load_registry
from app.generators.providers import provider_config, webhook_verifiers
from app.graphql.schema import make_graphql_controller_for
from app.jobs.config import in_process_worker, make_saq_plugin
from app.net import AddressGuard, SafeFetcher
from app.platform import tracing
from app.platform.cross_site import CrossSiteGuard
from app.platform.embedded_runtime import attach_embedded
from app.platform.heap import freeze_startup_heap
from app.platform.http_metrics import HttpMetricsMiddleware
from app.platform.logging import configure_logging, get_logger
from app.platform.proxies import TrustedProxies
from app.platform.pubsub import PubSubHub
from app.platform.request_id import RequestIdMiddleware
from app.settings import Settings, get_settings
from app.storage import build_storage
from app.storage.factory import prepare as prepare_storage
from app.wiring import Runtime

log = get_logger("atelier.server")
PUBLIC_PATHS = [
    "^/health$",
    "^/ready$",
    "^/schema",
    "^/api/v1/files/",
    "^/api/v1/webhooks/",
    "^/metrics$",
]  # files and webhooks: the signature is the auth; metrics: their own token
EXTERNAL_AUTH = {"jwt", "oidc", "supabase", "clerk", "auth0"}


def build_authenticator(settings: Settings) -> tuple[Authenticator, LocalTokenIssuer | None]:
    """One per process: the JWKS cache and identity caches live here."""
    issuer = None
    if settings.local_accounts_enabled:
        issuer = LocalTokenIssuer(auth_secret(settings), access_ttl_seconds=settings.access_token_ttl_seconds)
    verifier = None
    if settings.auth in EXTERNAL_AUTH and settings.jwt is not None:
        verifier = JwtVerifier(resolve_preset(settings.jwt.with_provider(cast(Provider, settings.auth))))
    return Authenticator(settings, verifier=verifier, issuer=issuer), issuer


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app. Without explicit URLs it attaches to the embedded servers `python -m app up` started."""
    settings = attach_embedded(settings or get_settings())
    configure_logging(level=settings.log_level, json=settings.log_json)
    traced = tracing.install(otel_enabled=settings.otel_enabled, service="atelier-api")
    alchemy = make_alchemy_config(settings)
    saq = make_saq_plugin(settings)
    authenticator, issuer = build_authenticator(settings)
    queue = saq.get_queue(settings.queue_name)
    redis = Redis.from_url(settings.require_redis_url())
    revocations = Revocations(redis, ttl_s=settings.access_token_ttl_seconds + 60)
    authenticator.revocations = revocations
    runtime = Runtime(
        hasher=Argon2PasswordHasher(),
        tokens=issuer or _NoLocalTokens(),
        refresh_ttl=timedelta(days=settings.refresh_token_ttl_days),
        local_accounts=settings.local_accounts_enabled,
        auth_mode=settings.auth,
        instance_admins=InstanceAdmins.of(
            settings.instance_admins, single_tenant=settings.tenant_mode == "single"
        ),
        identity_changes=IdentityChanges(redis, local=authenticator.forget),
        storage=build_storage(settings.storage, settings.storage_dir, auth_secret(settings)),
        catalog=load_registry(settings.generators_config, provider_config(settings)),
        queue=queue,
        credits_enabled=settings.credits_enabled,
        events=redis,
        upload_ttl_s=settings.storage.upload_ttl_seconds,
        upload_max_bytes=settings.storage.upload_max_bytes,
        fetcher=SafeFetcher(
            AddressGuard(settings.upload_fetch_allow),
            timeout_s=settings.upload_fetch_timeout_seconds,
            max_redirects=settings.upload_fetch_max_redirects,
        ),
        link_base=settings.link_base,
        revoker=revocations,
        signup=settings.signup_policy,
        login_throttle=(
            RedisLoginThrottle(redis, namespace=f"{settings.rate_limit_namespace}:login")
            if settings.login_throttling
            else None
        ),
        max_json_field_bytes=settings.max_json_field_bytes,
        upload_limits=UploadLimits(
            max_bytes=settings.upload_max_bytes,
            max_image_pixels=settings.upload_max_image_pixels,
            max_image_side=settings.upload_max_image_side,
        ),
    )
    pubsub = PubSubHub(settings.require_redis_url())  # one pub/sub connection for every live stream

    @asynccontextmanager
    async def connections(app: Litestar) -> AsyncIterator[None]:
        app.state.redis = redis
        tracing.instrument_engine(alchemy.get_engine())  # no-op unless tracing is on
        await prepare_storage(runtime.storage, settings.storage)
        app.state.pubsub = pubsub
        await pubsub.start()  # never fails: it reconnects in the background while Redis is down
        await revocations.start(pubsub)
        await authenticator.start(pubsub)  # admins' changes to tenants and users, from every process
        try:
            await queue.connect()
        except Exception:  # Redis down at start: serve anyway (/ready says 503); jobs wait for the sweeper
            log.exception("queue connection failed at start-up; generations stay pending until Redis is back")
        if settings.env != "test":
            freeze_startup_heap()
        try:
            yield
        finally:
            await revocations.stop()
            await authenticator.stop()
            await authenticator.aclose()
            with contextlib.suppress(Exception):
                await queue.disconnect()
            await pubsub.stop()
            await redis.aclose()
            await runtime.storage.aclose()
            # advanced-alchemy 1.12 skips its own dispose for every config but the process's first (it
            # compares the DI key "db_engine" with the numbered state key "db_engine_N"): dispose here too.
            await alchemy.get_engine().dispose()

    def worker(app: Litestar) -> AbstractAsyncContextManager[None]:
        return in_process_worker(app, saq, settings)

    def metrics_server(app: Litestar) -> AbstractAsyncContextManager[None]:
        return metrics_port(settings, gauge_probes(app.state))

    app = Litestar(
        route_handlers=[
            SystemController,
            AuthController,
            EmailFlowController,
            InvitationController,
            ApiKeyController,
            CreditController,
            AdminController,
            UserController,
            TenantController,
            InstanceTenantController,
            BoardController,
            MemberController,
            SearchController,
            GenerationController,
            BatchController,
            SavedViewController,
            GeneratorController,
            FileController,
            DirectUploadController,
            EventController,
            TagController,
            WebhookController,
            *upload_controllers_for(settings),
            *([MetricsController] if served_on_api(settings) else []),
            make_graphql_controller_for(settings),
            WebController,
        ],
        plugins=[SQLAlchemyPlugin(config=alchemy), saq, *_tracing_plugins(traced)],
        dependencies=SERVICES,  # every handler's services, one composition per request (app.wiring)
        middleware=[
            *([HttpMetricsMiddleware] if settings.metrics_enabled else []),
            DefineMiddleware(TrustedProxies, trusted=settings.trusted_proxies),
            DefineMiddleware(
                CrossSiteGuard,
                allowed_origins=settings.cors_origins,
                public_base_url=settings.public_base_url,
            ),
            DefineMiddleware(RequestIdMiddleware, access_log=settings.access_log),
            DefineMiddleware(ActorMiddleware, exclude=PUBLIC_PATHS),
            *rate_limit_middleware(settings, redis),
        ],
        stores={RATE_LIMIT_STORE: FailOpenRedisStore(redis, namespace=settings.rate_limit_namespace)},
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[connections, worker, metrics_server],
        on_startup=[refine_openapi],  # before the first request reads the document
        before_request=strict_json_body,
        before_send=[complete_allow_header],
        state=State(
            {
                "settings": settings,
                "alchemy": alchemy,
                "authenticator": authenticator,
                "runtime": runtime,
                "webhook_verifiers": webhook_verifiers(settings),
            }
        ),
        openapi_config=_openapi(settings),
        cors_config=CORSConfig(allow_origins=settings.cors_origins) if settings.cors_origins else None,
        logging_config=None,
        debug=False,
    )
    document_problems(app)
    return app


def _tracing_plugins(traced: bool) -> list[Any]:
    """Litestar's OpenTelemetry plugin (a server span per request, named by route template), when on."""
    if not traced:
        return []
    from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin

    def span_details(scope: Any) -> tuple[str, dict[str, str]]:
        route = str(scope.get("path_template") or scope.get("path", ""))
        name = f"{scope.get('method', 'WS')} {route}"
        return name, {"http.route": route}

    return [
        OpenTelemetryPlugin(
            OpenTelemetryConfig(
                tracer_provider=tracing.provider(),
                exclude=["^/health$", "^/ready$", "^/metrics$"],
                scope_span_details_extractor=span_details,
            )
        )
    ]


def _openapi(settings: Settings) -> OpenAPIConfig | None:
    if not settings.openapi_enabled:
        return None
    return OpenAPIConfig(
        title="Atelier API",
        version=__version__,
        description="REST API of Atelier, an open backend for AI-generated content boards.",
        path="/schema",
        render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
    )


class _NoLocalTokens:
    """Stands in for the token issuer when local accounts are off (AccountService refuses before using it)."""

    def issue_access(
        self,
        user_id: UUID,
        tenant_id: UUID,
        *,
        is_admin: bool,
        email: str | None,
        session_id: UUID | None = None,
    ) -> tuple[str, datetime]:
        raise RuntimeError("local accounts are disabled")
