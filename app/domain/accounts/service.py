"""Local accounts: sign-up, log-in, refresh with rotation and reuse detection, log-out, password change."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from app.contracts import (
    AuthSession,
    LogInInput,
    LogOutInput,
    PasswordChangeInput,
    PasswordResetInput,
    PasswordResetRequest,
    RefreshInput,
    SignUpInput,
    User,
    VerifyEmailInput,
)
from app.domain.accounts import mail
from app.domain.accounts.ports import (
    AccountStore,
    LoginThrottle,
    Outbox,
    PasswordHasher,
    SessionRevoker,
    TokenIssuer,
)
from app.domain.actor import Actor
from app.domain.errors import Conflict, Forbidden, Invalid, Unauthenticated
from app.domain.policy import require_user

LOCAL_PROVIDER = "local"
WRONG_CREDENTIALS = "wrong e-mail or password"
ACCOUNT_DISABLED = "this account is disabled; ask a tenant admin"
_DUMMY_PASSWORD = "timing-equaliser"  # noqa: S105  (hashed once, verified when the e-mail is unknown)


def normalize_email(email: str) -> str:
    cleaned = email.strip().lower()
    if any(ch.isspace() for ch in cleaned) or cleaned.count("@") != 1:
        raise Invalid("not an e-mail address", details={"field": "email"})
    return cleaned


def token_hash(token: str) -> str:
    """Refresh tokens and API keys are stored as SHA-256: high-entropy secrets need no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class AccountService:
    """Account use cases in the actor's tenant. Never commits: the adapter owns the unit of work."""

    def __init__(
        self,
        store: AccountStore,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        actor: Actor,
        *,
        refresh_ttl: timedelta = timedelta(days=30),
        enabled: bool = True,
        outbox: Outbox | None = None,
        link_base: str = "http://127.0.0.1:8000",
        throttle: LoginThrottle | None = None,
        revoker: SessionRevoker | None = None,
        signup: str = "open",
    ) -> None:
        self._signup = signup
        self._throttle = throttle
        self._revoker = revoker
        self._enabled = enabled
        self._outbox = outbox
        self._link_base = link_base
        self._store = store
        self._hasher = hasher
        self._tokens = tokens
        self._actor = actor
        self._refresh_ttl = refresh_ttl
        self._dummy_hash: str | None = None

    def _require_enabled(self) -> None:
        if not self._enabled:
            raise Forbidden("local accounts are disabled on this server; sign in with its identity provider")

    async def sign_up(self, command: SignUpInput, *, user_agent: str | None = None) -> AuthSession:
        self._require_enabled()
        email = normalize_email(command.email)
        await self._check_signup_allowed(email)
        if await self._store.local_user_by_email(email) is not None:
            raise Conflict("an account with this e-mail address exists; sign in instead")
        user = await self._store.create_local_user(
            email=email,
            display_name=command.display_name,
            password_hash=await self._hasher.hash(command.password),
        )
        # Invitations wait until the address is verified: signing up with it proves nothing.
        await self._send_token(user.id, email, mail.VERIFY)
        return await self._new_session(user, is_admin=False, family_id=uuid4(), user_agent=user_agent)

    async def log_in(
        self, command: LogInInput, *, user_agent: str | None = None, client_ip: str | None = None
    ) -> AuthSession:
        """Throttled per account and per address (before any password is checked); an unknown address
        costs the same hashing as a known one, so timing tells nothing."""
        self._require_enabled()
        email, tenant = normalize_email(command.email), str(self._actor.tenant_id)
        if self._throttle is not None:
            await self._throttle.check(tenant, email, client_ip)
        record = await self._store.local_user_by_email(email)
        if record is None or record.password_hash is None:
            await self._hasher.verify(command.password, await self._dummy())  # same work as a real check
            ok, upgraded = False, None
        else:
            ok, upgraded = await self._hasher.verify(command.password, record.password_hash)
        if not ok or record is None:
            if self._throttle is not None:
                await self._throttle.failed(tenant, email, client_ip)
            raise Unauthenticated(WRONG_CREDENTIALS)
        if self._throttle is not None:
            await self._throttle.succeeded(tenant, email, client_ip)
        if record.disabled:
            raise Forbidden(ACCOUNT_DISABLED)
        if upgraded is not None:
            await self._store.set_password_hash(record.user.id, upgraded)
        if record.user.email and record.email_verified:
            await self._store.accept_invitations(user_id=record.user.id, email=record.user.email)
        return await self._new_session(
            record.user, is_admin=record.is_admin, family_id=uuid4(), user_agent=user_agent
        )

    async def refresh(self, command: RefreshInput, *, user_agent: str | None = None) -> AuthSession:
        self._require_enabled()
        current = await self._store.refresh_token(token_hash(command.refresh_token))
        if current is None:
            raise Unauthenticated("unknown refresh token")
        if current.revoked_at is not None:
            # A rotated-away token came back: someone holds a copy. End the whole session family.
            await self._store.revoke_refresh_family(current.family_id)
            await self._end_sessions([current.family_id])
            raise Unauthenticated(
                "refresh token was already used; the session has been signed out", keep_changes=True
            )
        if current.expires_at <= datetime.now(UTC):
            raise Unauthenticated("refresh token expired; sign in again")
        record = await self._store.user_record(current.user_id)
        if record is None:
            raise Unauthenticated("the account no longer exists")
        if record.disabled:
            raise Unauthenticated(ACCOUNT_DISABLED)
        session, new_id = await self._issue(record.user, record.is_admin, current.family_id, user_agent)
        await self._store.revoke_refresh_token(current.id, replaced_by=new_id)
        return session

    async def log_out(self, command: LogOutInput) -> bool:
        current = await self._store.refresh_token(token_hash(command.refresh_token))
        if current is None:
            return False
        await self._store.revoke_refresh_family(current.family_id)
        await self._end_sessions([current.family_id])
        return True

    async def change_password(self, command: PasswordChangeInput) -> bool:
        user_id = require_user(self._actor)
        record = await self._store.user_record(user_id)
        if record is None or record.password_hash is None:
            # the request is well formed; the account's state refuses it (409, as for other state conflicts)
            raise Conflict("this account signs in through an identity provider; it has no password")
        ok, _ = await self._hasher.verify(command.current_password, record.password_hash)
        if not ok:
            raise Unauthenticated("the current password is wrong")
        await self._store.set_password_hash(user_id, await self._hasher.hash(command.new_password))
        await self._end_sessions(await self._store.revoke_user_refresh_tokens(user_id))
        return True

    async def _check_signup_allowed(self, email: str) -> None:
        """The tenant's policy (its settings' `signup`, else the server's): open, invite (an invited address,
        or the tenant's first account) or closed. Stops anyone signing up into any tenant by naming it."""
        policy = await self._store.signup_setting() or self._signup
        if policy == "open":
            return
        if policy == "invite" and (
            await self._store.has_pending_invitation(email) or not await self._store.has_local_users()
        ):
            return
        raise Forbidden(
            "sign-up is by invitation only here" if policy == "invite" else "sign-up is closed here"
        )

    async def verify_email(self, command: VerifyEmailInput) -> User:
        """Use a verification link: the address is verified and its pending invitations are accepted."""
        self._require_enabled()
        used = await self._store.use_email_token(purpose=mail.VERIFY, token_hash=token_hash(command.token))
        if used is None or not await self._store.mark_email_verified(user_id=used.user_id, email=used.email):
            raise Invalid("this link is invalid, expired or already used", details={"field": "token"})
        await self._store.accept_invitations(user_id=used.user_id, email=used.email)
        record = await self._store.user_record(used.user_id)
        if record is None:
            raise Unauthenticated("the account no longer exists")
        return record.user

    async def resend_verification(self) -> bool:
        """Send a new verification link to the caller (earlier ones stop working); False when verified."""
        self._require_enabled()
        record = await self._store.user_record(require_user(self._actor))
        if record is None or record.user.email is None or record.email_verified:
            return False
        await self._send_token(record.user.id, record.user.email, mail.VERIFY)
        return True

    async def request_password_reset(self, command: PasswordResetRequest) -> bool:
        """Mail a reset link if the address has a local account. Always True: the answer never tells
        whether an account exists."""
        self._require_enabled()
        record = await self._store.local_user_by_email(normalize_email(command.email))
        if record is not None and record.user.email is not None:
            await self._send_token(record.user.id, record.user.email, mail.RESET)
        return True

    async def reset_password(self, command: PasswordResetInput) -> bool:
        """Use a reset link: new password, every session signed out, and the address counts as verified."""
        self._require_enabled()
        used = await self._store.use_email_token(purpose=mail.RESET, token_hash=token_hash(command.token))
        if used is None:
            raise Invalid("this link is invalid, expired or already used", details={"field": "token"})
        await self._store.set_password_hash(used.user_id, await self._hasher.hash(command.new_password))
        await self._end_sessions(await self._store.revoke_user_refresh_tokens(used.user_id))
        if await self._store.mark_email_verified(user_id=used.user_id, email=used.email):
            await self._store.accept_invitations(user_id=used.user_id, email=used.email)
        return True

    async def _end_sessions(self, session_ids: list[UUID]) -> None:
        """Their access tokens stop working now, not when they expire."""
        if self._revoker is not None and session_ids:
            await self._revoker.revoke(session_ids)

    async def _send_token(self, user_id: UUID, email: str, purpose: str) -> None:
        secret = mail.new_secret()
        ttl = mail.VERIFY_TTL if purpose == mail.VERIFY else mail.RESET_TTL
        await self._store.insert_email_token(
            user_id=user_id, purpose=purpose, email=email, token_hash=token_hash(secret),
            expires_at=datetime.now(UTC) + ttl,
        )  # fmt: skip
        letter = (mail.verification if purpose == mail.VERIFY else mail.password_reset)(
            self._link_base, secret
        )
        if self._outbox is not None:
            await self._outbox.send(to=email, subject=letter.subject, body=letter.body)

    async def _new_session(
        self, user: User, *, is_admin: bool, family_id: UUID, user_agent: str | None
    ) -> AuthSession:
        session, _ = await self._issue(user, is_admin, family_id, user_agent)
        return session

    async def _issue(
        self, user: User, is_admin: bool, family_id: UUID, user_agent: str | None
    ) -> tuple[AuthSession, UUID]:
        access, expires_at = self._tokens.issue_access(
            user.id, user.tenant_id, is_admin=is_admin, email=user.email, session_id=family_id
        )
        refresh = secrets.token_urlsafe(32)
        refresh_expires = datetime.now(UTC) + self._refresh_ttl
        token_id = await self._store.insert_refresh_token(
            user_id=user.id,
            token_hash=token_hash(refresh),
            family_id=family_id,
            expires_at=refresh_expires,
            user_agent=(user_agent or "")[:500] or None,
        )
        session = AuthSession(
            access_token=access,
            expires_at=expires_at,
            refresh_token=refresh,
            refresh_expires_at=refresh_expires,
            user=user,
        )
        return session, token_id

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self._hasher.hash(_DUMMY_PASSWORD)
        return self._dummy_hash
