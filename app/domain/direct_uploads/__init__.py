"""Presigned direct uploads (request an upload URL, PUT straight to storage, confirm)."""

from app.domain.direct_uploads.ports import UploadIntent, UploadIntentStore, UploadStorage
from app.domain.direct_uploads.service import DirectUploadService

__all__ = ["DirectUploadService", "UploadIntent", "UploadIntentStore", "UploadStorage"]
