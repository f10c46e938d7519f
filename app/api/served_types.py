"""The media types /api/v1/files serves, by the stored key's extension: one table for the server and its
OpenAPI document, so the Content-Type a client receives is always one the document lists."""

from __future__ import annotations

from pathlib import PurePosixPath

OCTET_STREAM = "application/octet-stream"
SERVED_TYPES: dict[str, str] = {  # every format uploads sniff and generators store
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "txt": "text/plain",
    "json": "application/json",
}


def served_type(key: str) -> str:
    """The Content-Type of a stored object; unknown extensions are plain bytes (never sniffed as HTML)."""
    return SERVED_TYPES.get(PurePosixPath(key).suffix.lstrip(".").lower(), OCTET_STREAM)


def all_served_types() -> list[str]:
    return sorted({*SERVED_TYPES.values(), OCTET_STREAM})
