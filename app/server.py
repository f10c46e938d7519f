"""create_app(settings): the Litestar application serving REST (OpenAPI) and GraphQL side by side."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from redis.asyncio import Redis

from app import __version__
from app.api.controllers import BoardController, SystemController
from app.api.errors import EXCEPTION_HANDLERS
from app.auth import ActorMiddleware
from app.db.config import make_alchemy_config
from app.graphql.schema import make_graphql_controller_for
from app.jobs.config import in_process_worker, make_saq_plugin
from app.platform.embedded_runtime import attach_embedded
from app.platform.logging import configure_logging
from app.platform.request_id import RequestIdMiddleware
from app.settings import Settings, get_settings

PUBLIC_PATHS = ["^/health$", "^/ready$", "^/schema", "^/graphql$"]


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app. Without explicit URLs it attaches to the embedded servers `python -m app up` started."""
    settings = attach_embedded(settings or get_settings())
    configure_logging(level=settings.log_level, json=settings.log_json)
    alchemy = make_alchemy_config(settings)
    saq = make_saq_plugin(settings)

    @asynccontextmanager
    async def connections(app: Litestar) -> AsyncIterator[None]:
        app.state.redis = Redis.from_url(settings.require_redis_url())
        try:
            yield
        finally:
            await app.state.redis.aclose()
            # advanced-alchemy 1.12 skips its own dispose for every config but the process's first (it compares
            # the DI key "db_engine" with the numbered state key "db_engine_N"), so dispose here; twice is harmless.
            await alchemy.get_engine().dispose()

    def worker(app: Litestar) -> AbstractAsyncContextManager[None]:
        return in_process_worker(app, saq, settings)

    return Litestar(
        route_handlers=[SystemController, BoardController, make_graphql_controller_for(settings)],
        plugins=[SQLAlchemyPlugin(config=alchemy), saq],
        middleware=[
            DefineMiddleware(RequestIdMiddleware, access_log=settings.access_log),
            DefineMiddleware(ActorMiddleware, exclude=["^/health$", "^/ready$", "^/schema"]),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[connections, worker],
        state=State({"settings": settings, "alchemy": alchemy}),
        openapi_config=OpenAPIConfig(
            title="Atelier API",
            version=__version__,
            description="REST API of Atelier, an open backend for AI-generated content boards.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        )
        if settings.openapi_enabled
        else None,
        cors_config=CORSConfig(allow_origins=settings.cors_origins) if settings.cors_origins else None,
        logging_config=None,
        debug=False,
    )
