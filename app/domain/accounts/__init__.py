"""Local accounts (email + password), sessions with rotating refresh tokens, and API keys."""

from app.domain.accounts.api_keys import ApiKeyService
from app.domain.accounts.ports import (
    AccountStore,
    ApiKeyStore,
    EmailTokenRecord,
    LoginThrottle,
    Outbox,
    PasswordHasher,
    RefreshRecord,
    TokenIssuer,
    UserRecord,
)
from app.domain.accounts.service import AccountService, normalize_email

__all__ = [
    "AccountService",
    "AccountStore",
    "ApiKeyService",
    "ApiKeyStore",
    "EmailTokenRecord",
    "LoginThrottle",
    "Outbox",
    "PasswordHasher",
    "RefreshRecord",
    "TokenIssuer",
    "UserRecord",
    "normalize_email",
]
