"""Uploads: files and URLs registered on a board as completed generations."""

from app.domain.uploads.errors import (
    FetchFailed,
    InvalidFilename,
    TooLarge,
    UnsupportedContent,
    UrlNotAllowed,
)
from app.domain.uploads.ports import (
    ArtifactStorage,
    Fetched,
    ImageFacts,
    ImageInspector,
    UploadEvents,
    UploadLimits,
    UploadStore,
    UrlFetcher,
)
from app.domain.uploads.service import FileUpload, UploadService, generator_name_for

__all__ = [
    "ArtifactStorage",
    "FetchFailed",
    "Fetched",
    "FileUpload",
    "ImageFacts",
    "ImageInspector",
    "InvalidFilename",
    "TooLarge",
    "UnsupportedContent",
    "UploadEvents",
    "UploadLimits",
    "UploadService",
    "UploadStore",
    "UrlFetcher",
    "UrlNotAllowed",
    "generator_name_for",
]
