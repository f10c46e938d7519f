"""Build the Storage from settings (one per process: the API and each worker)."""

from __future__ import annotations

from pathlib import Path

from app.storage.config import StorageConfig
from app.storage.gcs import GcsStorage
from app.storage.local import LocalStorage
from app.storage.port import ObjectStore
from app.storage.router import Storage
from app.storage.s3 import S3Storage
from app.storage.supabase import SupabaseStorage


def build_storage(config: StorageConfig, root: Path, secret: str) -> Storage:
    local = LocalStorage(root, secret, url_ttl_seconds=config.url_ttl_seconds)
    backends: dict[str, ObjectStore] = {}
    if config.s3 is not None:
        s3 = config.s3
        backends["s3"] = S3Storage(
            bucket=s3.bucket, region=s3.region, endpoint_url=s3.endpoint_url,
            access_key_id=s3.access_key_id,
            secret_access_key=s3.secret_access_key.get_secret_value() if s3.secret_access_key else None,
            prefix=s3.prefix, path_style=s3.path_style,
        )  # fmt: skip
    if config.gcs is not None:
        token = config.gcs.token.get_secret_value() if config.gcs.token else None
        backends["gcs"] = GcsStorage(bucket=config.gcs.bucket, token=token, endpoint=config.gcs.endpoint)
    if config.supabase is not None:
        sb = config.supabase
        backends["supabase"] = SupabaseStorage(
            url=sb.url, service_key=sb.service_key.get_secret_value(), bucket=sb.bucket
        )
    return Storage(local, backends=backends, default=config.default, routes=config.routes)


async def prepare(storage: Storage, config: StorageConfig) -> None:
    """Start-up work: create the S3 bucket when asked (development against MinIO or moto)."""
    backend = storage.backends.get("s3")
    if isinstance(backend, S3Storage) and config.s3 is not None and config.s3.create_bucket:
        await backend.ensure_bucket()
