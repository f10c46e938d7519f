"""Storage settings (ATELIER_STORAGE__*): which backends exist, the default one, and routing rules."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator

BackendName = Literal["local", "s3", "gcs", "supabase"]


class S3Config(BaseModel):
    bucket: str
    region: str = "us-east-1"
    endpoint_url: str | None = Field(default=None, description="S3-compatible services (MinIO, R2, …)")
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    prefix: str = ""
    path_style: bool = False
    create_bucket: bool = Field(default=False, description="Create the bucket at start (development)")


class GcsConfig(BaseModel):
    bucket: str
    token: SecretStr | None = Field(default=None, description="OAuth access token (bearer)")
    endpoint: str = "https://storage.googleapis.com"


class SupabaseConfig(BaseModel):
    url: str = Field(description="https://<project>.supabase.co")
    service_key: SecretStr
    bucket: str


class Route(BaseModel):
    """Send matching artifacts to `backend`: all conditions given must hold (first matching rule wins)."""

    backend: BackendName
    artifact_types: list[str] | None = Field(default=None, description='e.g. ["video"]; unset = any')
    min_bytes: int | None = Field(default=None, ge=0, description="At least this many bytes")
    max_bytes: int | None = Field(default=None, ge=0, description="At most this many bytes")

    def matches(self, artifact_type: str | None, size: int) -> bool:
        if self.artifact_types is not None and artifact_type not in self.artifact_types:
            return False
        if self.min_bytes is not None and size < self.min_bytes:
            return False
        return self.max_bytes is None or size <= self.max_bytes


class StorageConfig(BaseModel):
    """ATELIER_STORAGE__DEFAULT=s3, ATELIER_STORAGE__S3__BUCKET=…, ATELIER_STORAGE__ROUTES='[{"backend":
    "s3","artifact_types":["video"],"min_bytes":52428800}]' (videos over 50 MB to S3, the rest local)."""

    default: BackendName = "local"
    s3: S3Config | None = None
    gcs: GcsConfig | None = None
    supabase: SupabaseConfig | None = None
    routes: list[Route] = Field(default_factory=list)
    url_ttl_seconds: int = Field(default=6 * 3600, ge=60, le=7 * 86400, description="Signed GET URLs")
    upload_ttl_seconds: int = Field(default=900, ge=30, le=86400, description="Presigned upload URLs")
    upload_max_bytes: int = Field(default=512 * 1024 * 1024, ge=1, description="Largest direct upload")

    @model_validator(mode="after")
    def _backends_are_configured(self) -> StorageConfig:
        for name in {self.default, *(r.backend for r in self.routes)}:
            if name != "local" and getattr(self, name) is None:
                raise ValueError(
                    f"storage backend {name!r} is used but ATELIER_STORAGE__{name.upper()}__* is unset"
                )
        return self
