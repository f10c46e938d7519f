"""The process-wide collaborators every builder takes (built once in create_app or the worker's start-up)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.domain.accounts import PasswordHasher, TokenIssuer
from app.domain.limits import MAX_JSON_FIELD_BYTES
from app.domain.tenants import NOBODY, InstanceAdmins
from app.domain.uploads import UploadLimits, UrlFetcher
from app.generators import GeneratorRegistry
from app.storage import Storage

DEFAULT_UPLOAD_LIMITS = UploadLimits(max_bytes=100 << 20, max_image_pixels=40_000_000, max_image_side=16_384)


@dataclass(frozen=True)
class Runtime:
    """Process-wide collaborators (built once in create_app or the worker's startup)."""

    hasher: PasswordHasher
    tokens: TokenIssuer
    refresh_ttl: timedelta
    local_accounts: bool
    storage: Storage
    catalog: GeneratorRegistry
    queue: Any = None  # saq.Queue; None where nothing may be queued
    events: Any = None  # redis.asyncio.Redis for progress events; None where nothing is announced
    credits_enabled: bool = False
    upload_ttl_s: int = 900
    upload_max_bytes: int = 512 * 1024 * 1024
    fetcher: UrlFetcher | None = None  # URL uploads (app.net.SafeFetcher); None where nothing is fetched
    upload_limits: UploadLimits = DEFAULT_UPLOAD_LIMITS
    link_base: str = "http://127.0.0.1:8000"  # where links in mail point (settings.link_base)
    login_throttle: Any = None  # app.auth.login_throttle.RedisLoginThrottle; None: logins are not throttled
    revoker: Any = None  # app.auth.revocations.Revocations: ended sessions' access tokens stop at once
    signup: str = "open"  # local sign-up policy unless the tenant sets its own (settings.signup_policy)
    max_json_field_bytes: int = (
        MAX_JSON_FIELD_BYTES  # board settings/metadata (settings.max_json_field_bytes)
    )
    auth_mode: str = "none"  # ATELIER_AUTH, shown to clients by GetAuthConfig / authConfig
    instance_admins: InstanceAdmins = NOBODY  # who manages tenants across the instance
    identity_changes: Any = None  # app.auth.identity_changes.IdentityChanges: stale caches in every process


AfterCommit = list[Callable[[], Awaitable[None]]]
