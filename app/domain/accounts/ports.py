"""What account use cases need: a user/refresh-token store, a password hasher and an access-token issuer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.contracts import ApiKey, User


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user with what sign-in needs (the password hash never leaves the domain)."""

    user: User
    password_hash: str | None
    is_admin: bool
    disabled: bool = False  # a tenant admin disabled the account: no sign-in, no refresh

    @property
    def email_verified(self) -> bool:
        return self.user.email_verified_at is not None


@dataclass(frozen=True, slots=True)
class RefreshRecord:
    id: UUID
    user_id: UUID
    family_id: UUID
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class EmailTokenRecord:
    """A mailed secret that was just used: whose it was and the address it was sent to."""

    user_id: UUID
    email: str


class Outbox(Protocol):
    """Mail leaves through an outbox written in the caller's unit of work (sent after it commits)."""

    async def send(self, *, to: str, subject: str, body: str) -> None: ...


class LoginThrottle(Protocol):
    """Failed sign-ins per account and per client address; `check` raises RateLimited while backing off."""

    async def check(self, tenant: str, email: str, ip: str | None) -> None: ...

    async def failed(self, tenant: str, email: str, ip: str | None) -> None: ...

    async def succeeded(self, tenant: str, email: str, ip: str | None) -> None: ...


class PasswordHasher(Protocol):
    """Deliberately slow hashing; async so an adapter can keep it off the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password: str, password_hash: str) -> tuple[bool, str | None]:
        """(matches, a new hash when the stored one should be upgraded)."""
        ...


class TokenIssuer(Protocol):
    def issue_access(
        self,
        user_id: UUID,
        tenant_id: UUID,
        *,
        is_admin: bool,
        email: str | None,
        session_id: UUID | None = None,
    ) -> tuple[str, datetime]: ...


class SessionRevoker(Protocol):
    """Ends the access tokens of sessions at once (they would otherwise live until they expire)."""

    async def revoke(self, session_ids: Sequence[UUID]) -> None: ...


class AccountStore(Protocol):
    """Users and refresh tokens of one tenant."""

    async def local_user_by_email(self, email: str) -> UserRecord | None: ...

    async def user_record(self, user_id: UUID) -> UserRecord | None: ...

    async def create_local_user(
        self, *, email: str, display_name: str | None, password_hash: str
    ) -> User: ...

    async def set_password_hash(self, user_id: UUID, password_hash: str) -> None: ...

    async def insert_refresh_token(
        self, *, user_id: UUID, token_hash: str, family_id: UUID, expires_at: datetime, user_agent: str | None
    ) -> UUID: ...

    async def refresh_token(self, token_hash: str) -> RefreshRecord | None: ...

    async def revoke_refresh_token(self, token_id: UUID, *, replaced_by: UUID | None) -> None: ...

    async def revoke_refresh_family(self, family_id: UUID) -> None: ...

    async def revoke_user_refresh_tokens(self, user_id: UUID) -> list[UUID]:
        """Revoke every live refresh token of the user; the ids of the session families they belonged to."""
        ...

    async def accept_invitations(self, *, user_id: UUID, email: str) -> int: ...

    async def signup_setting(self) -> str | None:
        """The tenant's own sign-up policy (its settings' `signup`), if it has one."""
        ...

    async def has_local_users(self) -> bool: ...

    async def has_pending_invitation(self, email: str) -> bool: ...

    async def insert_email_token(
        self, *, user_id: UUID, purpose: str, email: str, token_hash: str, expires_at: datetime
    ) -> None:
        """Store a new token, retiring the user's earlier unused ones of the same purpose."""
        ...

    async def use_email_token(self, *, purpose: str, token_hash: str) -> EmailTokenRecord | None:
        """Mark the token used, atomically; None when unknown, used, expired or of another purpose."""
        ...

    async def mark_email_verified(self, *, user_id: UUID, email: str) -> bool:
        """Verify the user's address if it is still `email`; False when it changed since."""
        ...


class ApiKeyStore(Protocol):
    async def insert(
        self, *, user_id: UUID, name: str, prefix: str, key_hash: str, expires_at: datetime | None
    ) -> ApiKey: ...

    async def list_for_user(self, user_id: UUID) -> Sequence[ApiKey]: ...

    async def revoke(self, *, user_id: UUID, key_id: UUID) -> bool: ...
