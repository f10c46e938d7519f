"""The server-signed (HS256, typ at+jwt) access tokens of local accounts: issued at log-in, verified on every
request (a verified token is cached until it expires, see _cache)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt

from app.auth.tokens._cache import VerifiedTokens
from app.auth.tokens._jwks import HMAC_MIN_SECRET_BYTES
from app.auth.tokens._verify import (
    LOCAL_ALGORITHM,
    LOCAL_TOKEN_TYPE,
    MAX_TOKEN_CHARS,
    InvalidToken,
    _decode,
    _unverified_header,
    _uuid_claim,
)


@dataclass(frozen=True, slots=True)
class LocalClaims:
    """A verified access token of a local account."""

    user_id: UUID
    tenant_id: UUID
    is_admin: bool
    email: str | None
    token_id: str  # jti
    issued_at: datetime
    expires_at: datetime
    session_id: str | None = None  # sid: the refresh-token family (a session ends by its id)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LocalTokenIssuer:
    """Issues and verifies the server-signed (HS256) access tokens of local accounts."""

    def __init__(
        self,
        secret: str,
        issuer: str = "atelier",
        audience: str = "atelier",
        access_ttl_seconds: int = 900,
        *,
        leeway_seconds: int = 30,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """`clock` (aware UTC datetimes) sets iat/exp when issuing; verification always uses the real time."""
        self._secret = secret.encode()
        if len(self._secret) < HMAC_MIN_SECRET_BYTES[LOCAL_ALGORITHM]:
            raise ValueError(
                f"the token secret needs at least {HMAC_MIN_SECRET_BYTES[LOCAL_ALGORITHM]} bytes"
            )
        if access_ttl_seconds <= 0:
            raise ValueError("access_ttl_seconds must be positive")
        self.issuer = issuer
        self.audience = audience
        self.access_ttl = timedelta(seconds=access_ttl_seconds)
        self._leeway = leeway_seconds
        self._clock = clock
        self._verified: VerifiedTokens[LocalClaims] = VerifiedTokens(leeway_seconds=leeway_seconds)

    def issue_access(
        self,
        user_id: UUID,
        tenant_id: UUID,
        *,
        is_admin: bool,
        email: str | None,
        session_id: UUID | None = None,
    ) -> tuple[str, datetime]:
        """A signed access token and the moment it expires."""
        now = self._clock().astimezone(UTC).replace(microsecond=0)  # JWT times are whole seconds
        expires_at = now + self.access_ttl
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "tid": str(tenant_id),
            "adm": is_admin,
            "iat": now,
            "nbf": now,
            "exp": expires_at,
            "jti": uuid.uuid4().hex,
        }
        if email is not None:
            payload["email"] = email
        if session_id is not None:
            payload["sid"] = str(session_id)
        token = jwt.encode(
            payload, self._secret, algorithm=LOCAL_ALGORITHM, headers={"typ": LOCAL_TOKEN_TYPE}
        )
        return token, expires_at

    def try_verify_access(self, token: str) -> LocalClaims | None:
        """None when the token does not even claim to be ours (so another verifier may try it); otherwise the
        claims, or InvalidToken when it claims to be ours but is not valid (expired, forged, …).

        "Claims to be ours" reads the unverified header and `iss`: HS256, typ at+jwt and our issuer.
        """
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
            return None
        cached = self._verified.get(token)
        if cached is not None:
            return cached
        try:
            header = jwt.get_unverified_header(token)
            payload = jwt.decode(token, options={"verify_signature": False})
        except (jwt.PyJWTError, ValueError, TypeError):
            return None
        if (header.get("alg"), header.get("typ"), payload.get("iss")) != (
            LOCAL_ALGORITHM,
            LOCAL_TOKEN_TYPE,
            self.issuer,
        ):
            return None
        return self.verify_access(token)

    def verify_access(self, token: str) -> LocalClaims:
        """The claims of a valid access token; raises InvalidToken (never anything else) otherwise."""
        cached = self._verified.get(token)
        if cached is not None:
            return cached
        header = _unverified_header(token)
        if header["alg"] != LOCAL_ALGORITHM:
            raise InvalidToken("algorithm not allowed")
        if header.get("typ") != LOCAL_TOKEN_TYPE:
            raise InvalidToken("wrong token type")
        claims = _decode(
            token,
            self._secret,
            LOCAL_ALGORITHM,
            issuer=self.issuer,
            audience=self.audience,
            leeway=self._leeway,
            require=["exp", "iat", "nbf", "sub", "tid", "jti", "iss", "aud"],
        )
        is_admin, email = claims.get("adm", False), claims.get("email")
        if not isinstance(is_admin, bool):
            raise InvalidToken("invalid claim: adm")
        if email is not None and not isinstance(email, str):
            raise InvalidToken("invalid claim: email")
        session_id = claims.get("sid")
        if session_id is not None and not isinstance(session_id, str):
            raise InvalidToken("invalid claim: sid")
        try:
            issued_at = datetime.fromtimestamp(claims["iat"], UTC)
            expires_at = datetime.fromtimestamp(claims["exp"], UTC)
        except (ValueError, TypeError, OverflowError, OSError):
            raise InvalidToken("malformed token") from None
        verified = LocalClaims(
            user_id=_uuid_claim(claims, "sub"),
            tenant_id=_uuid_claim(claims, "tid"),
            is_admin=is_admin,
            email=email,
            token_id=claims["jti"],
            issued_at=issued_at,
            expires_at=expires_at,
            session_id=session_id,
        )
        self._verified.put(token, verified)
        return verified
