"""The advanced-alchemy configuration: async engine, sessions and Alembic, from settings."""

from __future__ import annotations

import msgspec
from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)

from app.db import liveness
from app.db.base import Base
from app.db.transactions import make_before_send
from app.settings import Settings


def make_alchemy_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    """One config for the API process, jobs and the CLI (`python -m app database …`)."""
    liveness.install()
    config = SQLAlchemyAsyncConfig(
        connection_string=settings.require_database_url(),
        metadata=Base.metadata,
        create_all=False,  # migrations own the schema
        session_config=AsyncSessionConfig(expire_on_commit=False),  # STYLE A3: no lazy reloads after commit
        engine_config=EngineConfig(
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_pool_size,
            pool_pre_ping=False,  # app.db.liveness checks without a round trip
            echo=settings.database_echo,
            # JSONB columns decoded by msgspec directly (a page of generations has 150 of them)
            json_deserializer=msgspec.json.decode,
        ),
        alembic_config=AlembicAsyncConfig(script_location="migrations", version_table_name="alembic_version"),
    )
    # REST unit of work: commit on 2xx (or when a domain error asks), roll back otherwise (app.db.transactions).
    config.before_send_handler = make_before_send(config.session_scope_key)
    return config
