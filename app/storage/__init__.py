"""Storage port and backends. Local filesystem here (the embedded default); S3/GCS/Supabase later."""

from app.storage.local import LocalStorage, storage_key

__all__ = ["LocalStorage", "storage_key"]
