"""The advanced-alchemy configuration: async engine, sessions and Alembic, from settings."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)

from app.db.base import Base
from app.settings import Settings


def make_alchemy_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    """One config for the API process, jobs and the CLI (`python -m app database …`)."""
    return SQLAlchemyAsyncConfig(
        connection_string=settings.require_database_url(),
        metadata=Base.metadata,
        create_all=False,  # migrations own the schema
        before_send_handler="autocommit",  # REST: commit on 2xx, roll back otherwise
        session_config=AsyncSessionConfig(expire_on_commit=False),  # STYLE A3: no lazy reloads after commit
        engine_config=EngineConfig(
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_pool_size,
            pool_pre_ping=True,
            echo=settings.database_echo,
        ),
        alembic_config=AlembicAsyncConfig(script_location="migrations", version_table_name="alembic_version"),
    )
