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
from app.secrets_policy import weakness
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
    max_json_field_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="Largest free JSON field (board settings and metadata), encoded",
    )
    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://user:password@host:587?starttls=true (or smtps://); unset = mail is written to "
        "<data dir>/outbox as .eml files and its links logged",
    )
    mail_from: str = Field(default="Atelier <no-reply@localhost>", description="The From of every mail")
    allow_anonymous_reads: bool = Field(default=True, description="Anonymous callers may read public boards")

    tenant_mode: TenantMode = "single"
    tenant_header: str = "X-Tenant"
    default_tenant_slug: str = "default"

    trusted_proxies: list[str] = Field(
        default_factory=list,
        description='Proxies whose X-Forwarded-For is believed, as addresses or networks: ["10.0.0.0/8"] '
        "(default none: the peer address is the client)",
    )
    login_throttling: bool = Field(
        default=True, description="Back off repeated failed sign-ins (per account, per IP)"
    )
    rate_limit_enabled: bool = True
    rate_limit_read_per_minute: int = Field(
        default=3000,
        ge=1,
        description="Reads per user a minute (GET, GraphQL queries): polling pages live here",
    )
    rate_limit_user_per_minute: int = Field(
        default=600, ge=1, description="Writes per user a minute (POST/PUT/PATCH/DELETE, GraphQL mutations)"
    )
    rate_limit_create_per_minute: int = Field(
        default=60,
        ge=1,
        description="Generations a user may start a minute (create, regenerate; REST + GraphQL)",
    )
    rate_limit_tenant_per_minute: int = Field(
        default=30000, ge=1, description="Every request of a tenant's users together, a minute"
    )
    rate_limit_namespace: str = Field(
        default="atelier:ratelimit", description="Redis key prefix of the counters"
    )

    expose_schema: bool = Field(
        default=False,
        description="In production, serve GraphiQL, GraphQL introspection and the OpenAPI pages anyway",
    )
    signup: Literal["open", "invite", "closed"] | None = Field(
        default=None,
        description="Who may sign up for a local account, unless the tenant's settings.signup says: open, "
        "invite (only an invited address, or the tenant's first user) or closed; default invite in production",
    )
    graphql_ide: bool = True
    graphql_introspection: bool = True
    graphql_max_cost: int = Field(
        default=20_000,
        ge=1,
        description="Largest GraphQL operation cost for a signed-in caller (lists multiply)",
    )
    graphql_max_cost_anonymous: int = Field(
        default=5_000, ge=1, description="Largest GraphQL operation cost for an anonymous caller"
    )
    graphql_timeout_seconds: float = Field(
        default=15.0,
        gt=0,
        le=600,
        description="A GraphQL operation running longer is stopped (QUERY_TIMEOUT)",
    )
    graphql_max_response_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, description="Largest GraphQL response body (RESPONSE_TOO_LARGE)"
    )
    openapi_enabled: bool = True
    cors_origins: list[str] = Field(
        default_factory=list, description='JSON list, e.g. ["http://localhost:5173"]'
    )

    metrics_enabled: bool = Field(
        default=True, description="Prometheus metrics (GET /metrics, or metrics_port)"
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token /metrics requires; in production /metrics is served only with one "
        "(or on metrics_port)",
    )
    metrics_port: int | None = Field(
        default=None, ge=0, le=65535,
        description="Serve metrics on this separate port instead of /metrics (API and `--worker-only` workers)",
    )  # fmt: skip
    metrics_host: str = Field(default="0.0.0.0", description="Address metrics_port binds")  # noqa: S104
    jobs_dashboard: bool = Field(
        default=True, description="SAQ's job dashboard at /admin/jobs (instance admins)"
    )
    instance_admins: list[str] = Field(
        default_factory=list,
        description="JSON list of e-mails of tenant admins who also administer the instance (several tenants: "
        "the job dashboard); with one tenant its admins are the instance's",
    )
    otel_enabled: bool = Field(
        default=False,
        description="OpenTelemetry traces (also on when OTEL_TRACES_EXPORTER is set); exporters and endpoint "
        "by the standard OTEL_* variables",
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
        description="A worker's claim on a running generation lasts this long unless renewed (every fifth of "
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
    progress_interval_seconds: float = Field(
        default=0.25,
        ge=0,
        le=10,
        description="A running generation's progress is written (and announced) at most this often; reports in "
        "between are coalesced (the latest wins), and one that the final state supersedes is never written",
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
    migrate_on_start: bool = Field(
        default=True,
        description="`up` applies migrations first; false when a migration job does it (many replicas at once)",
    )

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
            if self.local_accounts_enabled:
                weak = weakness(self.auth_secret.get_secret_value()) if self.auth_secret else "unset"
                if weak is not None:
                    raise ValueError(
                        f"production with local accounts needs a real ATELIER_AUTH_SECRET: {weak}"
                    )
            if not self.expose_schema:  # GraphiQL, introspection and the OpenAPI pages map the attack surface
                self.graphql_ide = self.graphql_introspection = self.openapi_enabled = False
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
    def signup_policy(self) -> str:
        return self.signup or ("invite" if self.env == "production" else "open")

    @property
    def link_base(self) -> str:
        """Where links in mail point: the public URL, or this server."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def mail_outbox_dir(self) -> Path:
        return self.data_dir.resolve() / "outbox"

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
