"""Exported API contracts for clients: clients/openapi.json (REST) and clients/schema.graphql (SDL).

Both come from the running code (the Litestar app and the Strawberry schema), so they can never disagree
with what the server serves; `make check` fails when the committed copies are stale.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "clients" / "openapi.json"
SDL = ROOT / "clients" / "schema.graphql"
_OFFLINE_DATABASE = "postgresql+asyncpg://codegen@127.0.0.1:9/codegen"  # never connected to: export only
_OFFLINE_REDIS = "redis://127.0.0.1:9/0"


@functools.cache  # the TypeScript targets render from the same text
def render_openapi() -> str:
    from app.api.openapi import refine_openapi
    from app.server import create_app
    from app.settings import Settings

    app = create_app(Settings(database_url=_OFFLINE_DATABASE, redis_url=_OFFLINE_REDIS, log_json=True))
    refine_openapi(app)  # as the server does at start-up
    schema = app.openapi_schema.to_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@functools.cache
def render_sdl() -> str:
    from app.graphql.schema import schema

    return schema.as_str() + "\n"
