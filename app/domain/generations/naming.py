"""Reserved generator names: uploads are generations too, named like Boards names them (user-upload-image)."""

from __future__ import annotations

UPLOAD_GENERATOR_PREFIX = "user-upload-"  # multipart and URL uploads: user-upload-<artifact type>
DIRECT_UPLOAD_GENERATOR = "upload"  # presigned direct uploads


def is_upload(generator_name: str) -> bool:
    """An uploaded artifact, not a generator run (nothing to run again)."""
    return generator_name == DIRECT_UPLOAD_GENERATOR or generator_name.startswith(UPLOAD_GENERATOR_PREFIX)
