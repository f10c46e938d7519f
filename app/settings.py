"""Settings: one pydantic-settings tree read from ATELIER_* environment variables.

`create_app(settings)` takes an explicit instance, so tests build `Settings(...)` and never touch os.environ.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]
AuthMode = Literal["none", "local", "jwt", "oidc", "supabase", "clerk", "auth0"]


class Settings(BaseSettings):
    """Every knob of the service; ATELIER_<NAME> sets <name> (e.g. ATELIER_DATABASE_URL)."""

    model_config = SettingsConfigDict(env_prefix="ATELIER_", env_nested_delimiter="__", extra="ignore")

    env: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    data_dir: Path = Path("data")

    database_url: str | None = Field(
        default=None, description="postgresql+asyncpg://… ; unset = the embedded PostgreSQL under data_dir"
    )
    database_pool_size: int = Field(default=10, ge=1)
    database_echo: bool = False
    redis_url: str | None = Field(default=None, description="redis://… ; unset = the embedded Valkey")

    auth: AuthMode = "none"
    default_tenant_slug: str = "default"

    graphql_ide: bool = True
    graphql_introspection: bool = True
    openapi_enabled: bool = True
    cors_origins: list[str] = Field(
        default_factory=list, description='JSON list, e.g. ["http://localhost:5173"]'
    )

    log_level: str = "INFO"
    log_json: bool = True
    access_log: bool = True

    worker_in_process: bool = Field(default=True, description="Run the SAQ worker inside the API process")
    worker_concurrency: int = Field(default=10, ge=1)
    queue_name: str = "atelier"

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        """Refuse settings that are only safe on a developer's machine."""
        if self.env == "production":
            if self.auth == "none":
                raise ValueError("ATELIER_AUTH=none is for development only; refusing to start in production")
            if self.database_url is None or self.redis_url is None:
                raise ValueError("production needs ATELIER_DATABASE_URL and ATELIER_REDIS_URL")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def require_database_url(self) -> str:
        if self.database_url is None:
            raise RuntimeError("database_url is unset: start the embedded servers first (python -m app up)")
        return self.database_url

    def require_redis_url(self) -> str:
        if self.redis_url is None:
            raise RuntimeError("redis_url is unset: start the embedded servers first (python -m app up)")
        return self.redis_url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings from the environment (cached: read once)."""
    return Settings()
