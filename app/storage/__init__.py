"""Storage: the port (app.storage.port), backends (local, S3, GCS, Supabase) and the router the app uses."""

from app.storage.config import Route, StorageConfig
from app.storage.factory import build_storage
from app.storage.local import LocalStorage, storage_key
from app.storage.port import (
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    StorageError,
    StorageFault,
    UploadTarget,
    storage_fault,
)
from app.storage.router import Storage

__all__ = [
    "LocalStorage",
    "ObjectInfo",
    "ObjectMissing",
    "ObjectStore",
    "Route",
    "Storage",
    "StorageConfig",
    "StorageError",
    "StorageFault",
    "UploadTarget",
    "build_storage",
    "storage_fault",
    "storage_key",
]
