"""The `none` mode's identity, and the signing key for Atelier's own tokens."""

from __future__ import annotations

import secrets
from pathlib import Path

from app.settings import Settings

LOCAL_PROVIDER = "none"
LOCAL_SUBJECT = "local-developer"


def auth_secret(settings: Settings) -> str:
    """ATELIER_AUTH_SECRET, or (outside production) a random key kept under the data directory."""
    if settings.auth_secret is not None:
        return settings.auth_secret.get_secret_value()
    path = Path(settings.data_dir).resolve() / "auth_secret"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
