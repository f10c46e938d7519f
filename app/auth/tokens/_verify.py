"""Bearer token verification of external identity providers (JwtVerifier), and the JWT helpers that the
local accounts' issuer (app.auth.tokens._local) shares.

Which key verifies a token never depends on the token alone: the algorithm must be on the configured list,
and each key type verifies only its own family (HMAC secret → HS*, RSA → RS*/PS*, EC → ES*). So `alg: none`
and the classic HS256-signed-with-the-RSA-public-key confusion both fail.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import jwt
from jwt.exceptions import InvalidJTIError, InvalidSubjectError
from jwt.types import Options

from app.auth.tokens._config import ClaimMap, JwtConfig, claim_value, resolve_preset
from app.auth.tokens._jwks import (
    HMAC_ALGORITHMS,
    MIN_REFETCH_SECONDS,
    JwksCache,
    KeySetUnavailable,
    OidcDiscovery,
    PublicKey,
    key_fits,
    load_public_key,
)
from app.domain.errors import Unauthenticated

logger = logging.getLogger(__name__)

MAX_TOKEN_CHARS = 16 * 1024  # real access tokens are a few KiB; anything bigger is not worth parsing
LOCAL_ALGORITHM = "HS256"
LOCAL_TOKEN_TYPE = "at+jwt"  # noqa: S105 - a JOSE `typ`, not a password. RFC 9068: marks our access tokens, so another token type cannot stand in


class InvalidToken(Unauthenticated):
    """The bearer token was rejected; `reason` is short and safe to show the client ("expired", …)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid token: {reason}", details={"reason": reason})
        self.reason = reason


@dataclass(frozen=True, slots=True)
class VerifiedIdentity:
    """Who an external token says the caller is; `provider` + `subject` identify the user (users.auth_*)."""

    provider: str
    subject: str
    email: str | None
    display_name: str | None
    avatar_url: str | None
    tenant: str | None  # tenant slug from the configured claim, if any
    is_admin: bool
    claims: dict[str, Any] = field(repr=False, compare=False)  # every verified claim, for later mappings


class JwtVerifier:
    """Verifies bearer tokens of the configured provider. One per process: it owns the JWKS/discovery caches
    (close them with `aclose()`)."""

    def __init__(
        self,
        config: JwtConfig,
        *,
        min_refetch_seconds: float = MIN_REFETCH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`clock` (monotonic seconds) and `min_refetch_seconds` drive the key caches; tests inject them."""
        resolved = resolve_preset(config)
        self.config = resolved
        self.provider: str = resolved.provider
        self._algorithms = frozenset(resolved.algorithms)
        self._secret = None if resolved.secret is None else resolved.secret.get_secret_value().encode()
        self._public_key = None if resolved.public_key is None else load_public_key(resolved.public_key)
        self._audience = resolved.audience
        self._claims: ClaimMap = resolved.claims
        self._admin = resolved.claims.admin_rule
        self._require = ["exp", "sub", *(["iss"] if resolved.issuer is not None else [])]
        self._discovery: OidcDiscovery | None = None
        source: str | OidcDiscovery | None = resolved.jwks_url
        if source is None and resolved.provider == "oidc" and resolved.issuer and self._public_key is None:
            source = self._discovery = OidcDiscovery(
                resolved.issuer,
                cache_seconds=resolved.jwks_cache_seconds,
                timeout_seconds=resolved.http_timeout_seconds,
                allow_http=resolved.allow_http,
                min_refetch_seconds=min_refetch_seconds,
                clock=clock,
            )
        self._jwks = None
        if source is not None:
            self._jwks = JwksCache(
                source,
                cache_seconds=resolved.jwks_cache_seconds,
                timeout_seconds=resolved.http_timeout_seconds,
                allow_http=resolved.allow_http,
                min_refetch_seconds=min_refetch_seconds,
                clock=clock,
            )

    async def verify(self, token: str) -> VerifiedIdentity:
        """The identity in a valid token; raises InvalidToken (never anything else) otherwise."""
        header = _unverified_header(token)
        algorithm = header["alg"]
        if algorithm not in self._algorithms:
            raise InvalidToken("algorithm not allowed")
        key = await self._key_for(algorithm, header.get("kid"))
        claims = _decode(
            token,
            key,
            algorithm,
            issuer=self.config.issuer,
            audience=self._audience,
            leeway=self.config.leeway_seconds,
            require=self._require,
        )
        return self._identity(claims)

    async def prefetch(self) -> None:
        """Fetch discovery and keys now (e.g. at start-up) to surface a misconfigured issuer early; raises
        KeySetUnavailable / DiscoveryError. Optional: `verify` fetches on first use anyway."""
        if self._jwks is not None:
            await self._jwks.keys()

    async def aclose(self) -> None:
        """Close the HTTP clients of the key caches."""
        if self._jwks is not None:
            await self._jwks.aclose()
        if self._discovery is not None:
            await self._discovery.aclose()

    async def _key_for(self, algorithm: str, kid: object) -> bytes | PublicKey:
        if algorithm in HMAC_ALGORITHMS:  # HS* only ever verifies with the configured secret
            if self._secret is None:
                raise InvalidToken("algorithm not allowed")
            return self._secret
        if self._public_key is not None:
            if not key_fits(algorithm, self._public_key):
                raise InvalidToken("algorithm not allowed")
            return self._public_key
        if self._jwks is None:
            raise InvalidToken("algorithm not allowed")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("malformed token")
        try:
            found = await self._jwks.key_for(kid, algorithm)
        except KeySetUnavailable:
            raise InvalidToken("key set unavailable") from None
        if found is None:
            raise InvalidToken("unknown key id" if kid is not None else "missing key id")
        if not found.accepts(algorithm):
            raise InvalidToken("algorithm not allowed")
        return found.key

    def _identity(self, claims: dict[str, Any]) -> VerifiedIdentity:
        names = self._claims
        subject = claim_value(claims, names.subject)
        if not isinstance(subject, str) or not subject:
            raise InvalidToken(f"missing claim: {names.subject}")
        tenant = None
        if names.tenant is not None:
            tenant = claim_value(claims, names.tenant)
            if tenant is not None and not isinstance(tenant, str):
                raise InvalidToken(f"invalid claim: {names.tenant}")
        return VerifiedIdentity(
            provider=self.provider,
            subject=subject,
            email=_text(claims, names.email),
            display_name=_text(claims, names.name),
            avatar_url=_text(claims, names.avatar),
            tenant=tenant or None,
            is_admin=self._admin is not None and self._admin.matches(claims),
            claims=claims,
        )


def _unverified_header(token: str) -> dict[str, Any]:
    """The header, only to pick the key; it must name an algorithm. Nothing in it is trusted yet."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise InvalidToken("malformed token")
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, TypeError):
        raise InvalidToken("malformed token") from None
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or not algorithm:
        raise InvalidToken("malformed token")
    return header


def _decode(
    token: str,
    key: bytes | PublicKey,
    algorithm: str,
    *,
    issuer: str | None,
    audience: str | list[str] | None,
    leeway: int,
    require: list[str],
) -> dict[str, Any]:
    """Signature and registered claims, with exactly one algorithm allowed: the one the key was chosen for."""
    options: Options = {
        "require": require,
        "verify_aud": audience is not None,
        "enforce_minimum_key_length": True,
    }
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            options=options,
            issuer=issuer,
            audience=audience,
            leeway=leeway,
        )
    except jwt.PyJWTError as exc:
        reason = _reason(exc)
        logger.debug("token rejected: %s (%s)", reason, exc)
        raise InvalidToken(reason) from None
    except (ValueError, TypeError) as exc:  # defensive: a library edge case must still be a 401
        logger.info("token rejected: malformed (%s: %s)", type(exc).__name__, exc)
        raise InvalidToken("malformed token") from None
    return claims


def _reason(exc: jwt.PyJWTError) -> str:  # noqa: PLR0911 - one line per PyJWT error is the clearest form
    """PyJWT's error as a short, client-safe reason (no key or claim contents)."""
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "expired"
    if isinstance(exc, jwt.ImmatureSignatureError):
        return "not yet valid"
    if isinstance(exc, jwt.InvalidSignatureError):
        return "bad signature"
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return "algorithm not allowed"
    if isinstance(exc, jwt.InvalidIssuerError):
        return "wrong issuer"
    if isinstance(exc, jwt.InvalidAudienceError):
        return "wrong audience"
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return {"iss": "wrong issuer", "aud": "wrong audience"}.get(exc.claim, f"missing claim: {exc.claim}")
    if isinstance(exc, jwt.InvalidIssuedAtError):
        return "invalid claim: iat"
    if isinstance(exc, InvalidSubjectError):
        return "invalid claim: sub"
    if isinstance(exc, InvalidJTIError):
        return "invalid claim: jti"
    if isinstance(exc, jwt.InvalidKeyError):
        return "unusable key"
    if isinstance(exc, jwt.DecodeError):
        return "malformed token"
    return "invalid token"


def _text(claims: dict[str, Any], path: str | None) -> str | None:
    value = None if path is None else claim_value(claims, path)
    return value if isinstance(value, str) and value.strip() else None


def _uuid_claim(claims: dict[str, Any], name: str) -> UUID:
    try:
        return UUID(claims[name])
    except (ValueError, TypeError, AttributeError):
        raise InvalidToken(f"invalid claim: {name}") from None
