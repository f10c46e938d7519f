"""Settings: one pydantic-settings tree read from ATELIER_* environment variables.

`create_app(settings)` takes an explicit instance, so tests build `Settings(...)` and never touch os.environ.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.auth.tokens._config import JwtConfig
from app.storage.config import StorageConfig

Environment = Literal["development", "test", "production"]
AuthMode = Literal["none", "local", "jwt", "oidc", "supabase", "clerk", "auth0"]
TenantMode = Literal["single", "header", "claim"]


class Settings(BaseSettings):
    """Every knob of the service; ATELIER_<NAME> sets <name> (e.g. ATELIER_DATABASE_URL)."""

    model_config = SettingsConfigDict(env_prefix="ATELIER_", env_nested_delimiter="__", extra="ignore")

    env: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    data_dir: Path = Path("data")
    web_dir: Path | None = Field(
        default=None,
        description="the built web page (index.html, assets/); unset = clients/dist of this checkout",
    )

    database_url: str | None = Field(
        default=None, description="postgresql+asyncpg://… ; unset = the embedded PostgreSQL under data_dir"
    )
    database_pool_size: int = Field(default=10, ge=1)
    database_echo: bool = False
    redis_url: str | None = Field(default=None, description="redis://… ; unset = the embedded Valkey")

    auth: AuthMode = "none"
    auth_secret: SecretStr | None = Field(
        default=None,
        description="HS256 key for Atelier's own access tokens; unset = generated under data_dir",
    )
    access_token_ttl_seconds: int = Field(default=900, ge=30, le=86400)
    refresh_token_ttl_days: int = Field(default=30, ge=1, le=365)
    local_accounts: bool | None = Field(
        default=None, description="Allow e-mail + password sign-up/log-in (default: on when auth=local)"
    )
    jwt: JwtConfig | None = Field(
        default=None, description="External tokens (auth=jwt|oidc|supabase|clerk|auth0): ATELIER_JWT__<FIELD>"
    )
    allow_anonymous_reads: bool = Field(default=True, description="Anonymous callers may read public boards")

    tenant_mode: TenantMode = "single"
    tenant_header: str = "X-Tenant"
    default_tenant_slug: str = "default"

    rate_limit_enabled: bool = True
    rate_limit_user_per_minute: int = Field(default=600, ge=1)
    rate_limit_tenant_per_minute: int = Field(default=6000, ge=1)
    rate_limit_namespace: str = Field(
        default="atelier:ratelimit", description="Redis key prefix of the counters"
    )

    graphql_ide: bool = True
    graphql_introspection: bool = True
    openapi_enabled: bool = True
    cors_origins: list[str] = Field(
        default_factory=list, description='JSON list, e.g. ["http://localhost:5173"]'
    )

    log_level: str = "INFO"
    log_json: bool = True
    access_log: bool = True

    storage: StorageConfig = Field(
        default_factory=StorageConfig,
        description="Backends and routing: ATELIER_STORAGE__DEFAULT, __S3__BUCKET, __ROUTES (default: local)",
    )

    credits_enabled: bool = Field(default=False, description="Charge generations to a per-user credit ledger")
    generators_config: Path | None = Field(
        default=None,
        description="YAML that enables, renames and configures generators (all built-ins on if unset)",
    )
    # Provider adapters (app/generators/providers): a generator whose key is unset is not registered.
    replicate_api_token: SecretStr | None = None
    replicate_base_url: str = "https://api.replicate.com"
    replicate_webhook_secret: SecretStr | None = Field(
        default=None, description="whsec_… signing secret; unset = fetched from Replicate with the API token"
    )
    fal_key: SecretStr | None = None
    fal_queue_url: str = "https://queue.fal.run"
    fal_jwks_url: str = "https://rest.fal.ai/.well-known/jwks.json"
    openai_api_key: SecretStr | None = None
    openai_base_url: str = "https://api.openai.com"
    public_base_url: str | None = Field(
        default=None,
        description="This API's public URL: providers call its webhooks (unset = workers poll providers)",
    )
    provider_poll_initial_seconds: float = Field(default=1.0, gt=0, le=60)
    provider_poll_max_seconds: float = Field(default=10.0, gt=0, le=600)
    provider_webhook_poll_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="Fallback poll interval while webhooks deliver results"
    )
    provider_max_download_bytes: int = Field(default=500 * 1024 * 1024, ge=1)
    provider_download_timeout_seconds: float = Field(default=300.0, gt=0)
    worker_in_process: bool = Field(default=True, description="Run the SAQ worker inside the API process")
    worker_concurrency: int = Field(default=10, ge=1)
    lease_seconds: float = Field(
        default=5.0,
        ge=1.0,
        le=600,
        description="A worker's claim on a running generation lasts this long unless renewed (every third of "
        "it); past it, another worker takes the generation over (a dead worker's runs restart within about "
        "lease + sweep interval)",
    )
    retry_max_failures: int = Field(
        default=3, ge=1, le=20, description="Failed attempts (errors, lost workers) before a generation fails"
    )
    worker_shutdown_grace_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="On SIGTERM a worker stops taking jobs, lets running ones finish this long, then hands the "
        "rest back to the queue at once (no failure counted)",
    )
    queue_sweep_seconds: int = Field(
        default=15, ge=1, le=600, description="How often SAQ cleans its own bookkeeping of stuck jobs"
    )
    sweep_interval_seconds: int = Field(
        default=5, ge=1, le=3600, description="How often each worker's sweeper looks for lost generations"
    )
    sweep_pending_grace_seconds: float = Field(
        default=5.0,
        ge=0.5,
        le=3600,
        description="A pending generation untouched this long is queued again (its job was lost with Redis, or "
        "its enqueue timed out); queueing is idempotent",
    )
    storage_min_free_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description="/ready answers 503 when local storage has less free space than this",
    )
    queue_name: str = "atelier"

    upload_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1, description="Largest upload (file or URL)")
    upload_max_image_pixels: int = Field(
        default=40_000_000, ge=1, description="Largest image (width x height) decoded; more is a bomb"
    )
    upload_max_image_side: int = Field(default=16_384, ge=1, description="Longest image side in pixels")
    upload_fetch_timeout_seconds: float = Field(
        default=30.0, gt=0, le=600, description="Whole-fetch deadline of URL uploads (DNS, redirects, body)"
    )
    upload_fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    upload_fetch_allow: list[str] = Field(
        default_factory=list,
        description='TESTS ONLY: ["127.0.0.1:8081"] socket addresses URL uploads may reach although not '
        "public (a test's own origin server); refused in production",
    )

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        """Refuse settings that are only safe on a developer's machine."""
        if self.env == "production":
            if self.auth == "none":
                raise ValueError("ATELIER_AUTH=none is for development only; refusing to start in production")
            if self.database_url is None or self.redis_url is None:
                raise ValueError("production needs ATELIER_DATABASE_URL and ATELIER_REDIS_URL")
            if self.upload_fetch_allow:
                raise ValueError(
                    "ATELIER_UPLOAD_FETCH_ALLOW is for tests only; refusing to start in production"
                )
            if self.local_accounts_enabled and (
                self.auth_secret is None or len(self.auth_secret.get_secret_value()) < 32
            ):
                raise ValueError("production with local accounts needs ATELIER_AUTH_SECRET of 32+ characters")
        return self

    @model_validator(mode="after")
    def _external_auth_is_configured(self) -> Settings:
        if self.auth not in ("none", "local") and self.jwt is None:
            raise ValueError(
                f"ATELIER_AUTH={self.auth} needs ATELIER_JWT__* settings (issuer, keys or JWKS URL)"
            )
        return self

    @property
    def local_accounts_enabled(self) -> bool:
        return self.auth == "local" if self.local_accounts is None else self.local_accounts

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def resolved_web_dir(self) -> Path:
        return self.web_dir or Path(__file__).resolve().parent.parent / "clients" / "dist"

    @property
    def storage_dir(self) -> Path:
        return self.data_dir.resolve() / "storage"

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
