"""Users, tenants and local accounts: who is calling and how they sign in."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from schema.api.common import Contract, PageInfo

Email = Field(
    min_length=3,
    max_length=320,
    pattern=r"^[^@\s\x1c-\x1f]+@[^@\s\x1c-\x1f]+$",
    description="An e-mail address.",
)  # \x1c-\x1f: see schema.api.common.NOT_BLANK
Password = Field(min_length=8, max_length=256, description="8 to 256 characters.")


class User(Contract):
    """A user as every API shows it."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "User", "kind": "type"}}}

    id: UUID
    tenant_id: UUID
    auth_provider: str
    auth_subject: str | None = Field(
        description="Visible to the user themself and tenant admins only; null to others."
    )
    email: str | None = Field(
        description="Visible to the user themself and tenant admins only; null to others."
    )
    display_name: str | None
    avatar_url: str | None
    created_at: datetime
    updated_at: datetime
    email_verified_at: datetime | None = Field(
        default=None,
        description="When the user proved they receive mail at `email` (null: unverified, or not shown to you).",
    )


class UserList(Contract):
    """One page of users (searchUsers)."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    items: list[User]
    page: PageInfo


class Tenant(Contract):
    """A tenant: an isolated organisation."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "Tenant", "kind": "type"}}}

    id: UUID
    name: str
    slug: str
    settings: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class TenantUpdate(Contract):
    """Change the caller's tenant (tenant admins only)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "UpdateTenantInput", "kind": "input"}}}

    name: str | None = Field(default=None, min_length=1, max_length=200)
    settings: dict[str, Any] | None = None


class SignUpInput(Contract):
    """Create a local account (email + password) and sign in."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "SignUpInput", "kind": "input"}}}

    email: str = Email
    password: str = Password
    display_name: str | None = Field(default=None, max_length=200)


class LogInInput(Contract):
    """Sign in with a local account."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "LogInInput", "kind": "input"}}}

    email: str = Email
    password: str = Field(min_length=1, max_length=256)


class RefreshInput(Contract):
    """Trade a refresh token for a new session (the old refresh token stops working)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "RefreshInput", "kind": "input"}}}

    refresh_token: str = Field(min_length=16, max_length=512)


class LogOutInput(Contract):
    """Revoke a refresh token (and with it the session it belongs to)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "LogOutInput", "kind": "input"}}}

    refresh_token: str = Field(min_length=16, max_length=512)


class PasswordChangeInput(Contract):
    """Change the caller's password; every other session of the caller is signed out."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "PasswordChangeInput", "kind": "input"}}}

    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Password


EmailToken = Field(
    min_length=16, max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="The secret from the link."
)


class VerifyEmailInput(Contract):
    """Prove the caller receives mail at their address: the token from the verification link."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "VerifyEmailInput", "kind": "input"}}}

    token: str = EmailToken


class PasswordResetRequest(Contract):
    """Ask for a password-reset link. The answer is the same whether or not the address has an account."""

    model_config = {
        "json_schema_extra": {"x-graphql": {"name": "RequestPasswordResetInput", "kind": "input"}}
    }

    email: str = Email


class PasswordResetInput(Contract):
    """Set a new password with the token from a reset link; every session of the account is signed out."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "ResetPasswordInput", "kind": "input"}}}

    token: str = EmailToken
    new_password: str = Password


class AcceptInvitationInput(Contract):
    """Join a board with the token from an invitation link (whoever holds the link received the mail)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AcceptInvitationInput", "kind": "input"}}}

    token: str = EmailToken


class AuthSession(Contract):
    """Tokens for a signed-in user: a short-lived bearer access token and a rotating refresh token."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AuthSession", "kind": "type"}}}

    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    user: User


class AuthConfig(Contract):
    """How this server signs people in, so a client shows only the screens that apply (no auth needed)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "AuthConfig", "kind": "type"}}}

    mode: str = Field(description="ATELIER_AUTH: none, local, jwt, oidc, supabase, clerk or auth0.")
    local_accounts: bool = Field(
        description="E-mail + password sign-up, log-in and password change are offered."
    )
    email_verification: bool = Field(
        default=False, description="New local accounts must confirm their e-mail address."
    )
    password_reset: bool = Field(default=False, description="A forgotten password can be reset by e-mail.")


class ApiKeyCreate(Contract):
    """Create an API key for scripts; the secret is shown once."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreateApiKeyInput", "kind": "input"}}}

    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = None


class ApiKey(Contract):
    """An API key's public facts (never its secret)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "ApiKey", "kind": "type"}}}

    id: UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(Contract):
    """A new API key and its secret (send it as `Authorization: Bearer <secret>` or `X-API-Key`)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "ApiKeyCreated", "kind": "type"}}}

    api_key: ApiKey
    secret: str


class CreditBalance(Contract):
    """The caller's credits. When credits are switched off, enabled is false and nothing is charged."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreditBalance", "kind": "type"}}}

    enabled: bool
    balance: float


class CreditEntry(Contract):
    """One ledger entry: grant (+), reserve (−, on create), capture (on success), refund (+, on failure or cancel)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "CreditEntry", "kind": "type"}}}

    id: UUID
    kind: str
    amount: float
    generation_id: UUID | None
    reason: str | None
    created_at: datetime
