"""Public keys for token verification: PEM loading, algorithm/key-type pairing, JWKS and OIDC discovery caches.

Keys fetched from a URL are only ever public keys (RSA or EC): a symmetric key from the network would let
whoever serves the URL mint tokens, so `kty: oct` entries are dropped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx
import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ec import (
    SECP256R1,
    SECP384R1,
    SECP521R1,
    EllipticCurve,
    EllipticCurvePublicKey,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

logger = logging.getLogger(__name__)

PublicKey = RSAPublicKey | EllipticCurvePublicKey

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
EC_CURVES: dict[str, type[EllipticCurve]] = {"ES256": SECP256R1, "ES384": SECP384R1, "ES512": SECP521R1}
SUPPORTED_ALGORITHMS = HMAC_ALGORITHMS | RSA_ALGORITHMS | frozenset(EC_CURVES)
HMAC_MIN_SECRET_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}  # RFC 7518 §3.2: at least the hash size
RSA_MIN_BITS = 2048

MIN_REFETCH_SECONDS = 30.0  # an unknown kid refetches at most this often: garbage kids cannot DoS the IdP
MAX_DOCUMENT_BYTES = 256 * 1024  # a key set or discovery document is a few KiB
_LOOPBACK_NAMES = {"localhost"}


class KeySetUnavailable(Exception):
    """The key set (or the discovery document leading to it) could not be fetched or used."""


class DiscoveryError(KeySetUnavailable):
    """The OpenID Connect discovery document is unusable (e.g. its issuer is not the configured one)."""


def key_fits(algorithm: str, key: PublicKey) -> bool:
    """Each key type verifies only its own family: RSA → RS*/PS*, EC → ES* on the matching curve.

    This is what makes key confusion fail: an HS256 token can never be checked against an RSA key.
    """
    if algorithm in RSA_ALGORITHMS:
        return isinstance(key, RSAPublicKey)
    curve = EC_CURVES.get(algorithm)
    return curve is not None and isinstance(key, EllipticCurvePublicKey) and isinstance(key.curve, curve)


def load_public_key(pem: str) -> PublicKey:
    """A PEM public key or X.509 certificate (Auth0 and others hand out certificates) → RSA/EC public key."""
    data = pem.strip().encode()
    try:
        if data.startswith(b"-----BEGIN CERTIFICATE-----"):
            loaded: Any = x509.load_pem_x509_certificate(data).public_key()
        else:
            loaded = load_pem_public_key(data)
    except ValueError as exc:
        raise ValueError(f"public_key is not a PEM public key or certificate ({exc})") from None
    if isinstance(loaded, RSAPublicKey):
        if loaded.key_size < RSA_MIN_BITS:
            raise ValueError(f"public_key is a {loaded.key_size}-bit RSA key; at least {RSA_MIN_BITS} needed")
        return loaded
    if isinstance(loaded, EllipticCurvePublicKey):
        if not any(isinstance(loaded.curve, curve) for curve in EC_CURVES.values()):
            raise ValueError(f"public_key uses curve {loaded.curve.name}; P-256, P-384 or P-521 needed")
        return loaded
    raise ValueError(f"public_key must be an RSA or EC key, not {type(loaded).__name__}")


def check_fetch_url(url: str, *, what: str, allow_http: bool) -> None:
    """Keys decide who may sign in, so they come over https; plain http only on loopback or when allowed."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ValueError(f"{what} must be an absolute http(s) URL, got {url!r}")
    if parts.scheme == "http" and not allow_http and not _is_loopback(parts.hostname):
        raise ValueError(
            f"{what} must use https ({url!r}); set ATELIER_JWT__ALLOW_HTTP=true for a trusted private network"
        )


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class JwksKey:
    """One usable signing key of a key set."""

    kid: str | None
    key: PublicKey
    alg: str | None  # the JWK's own `alg`, which pins the key to that one algorithm when present

    def accepts(self, algorithm: str) -> bool:
        return (self.alg is None or self.alg == algorithm) and key_fits(algorithm, self.key)


def parse_jwks(document: dict[str, Any]) -> tuple[JwksKey, ...]:
    """The usable public signing keys of a JWKS document; anything else is skipped (and logged)."""
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise KeySetUnavailable("the key set has no `keys` list")
    keys = []
    for entry in entries:
        key = _parse_jwk(entry)
        if key is not None:
            keys.append(key)
    if not keys:
        raise KeySetUnavailable("the key set has no usable RSA or EC signing key")
    return tuple(keys)


def _parse_jwk(entry: object) -> JwksKey | None:  # noqa: PLR0911 - one early exit per reason to skip
    if not isinstance(entry, dict):
        return None
    kid, kty, alg = entry.get("kid"), entry.get("kty"), entry.get("alg")
    # never `oct`: a symmetric key from a URL would let whoever serves it mint tokens
    if not isinstance(kty, str) or kty not in {"RSA", "EC"}:
        logger.warning("jwks: skipping key %r of type %r", kid, kty)
        return None
    if entry.get("use", "sig") != "sig" or "d" in entry or (kid is not None and not isinstance(kid, str)):
        logger.warning("jwks: skipping key %r (not a public signing key)", kid)
        return None
    if alg is not None and (not isinstance(alg, str) or alg not in SUPPORTED_ALGORITHMS - HMAC_ALGORITHMS):
        logger.warning("jwks: skipping key %r with algorithm %r", kid, alg)
        return None
    try:
        loaded: Any = jwt.PyJWK(entry).key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        logger.warning("jwks: skipping malformed key %r: %s", kid, exc)
        return None
    if isinstance(loaded, RSAPublicKey) and loaded.key_size < RSA_MIN_BITS:
        logger.warning("jwks: skipping %d-bit RSA key %r", loaded.key_size, kid)
        return None
    if not isinstance(loaded, RSAPublicKey | EllipticCurvePublicKey):
        return None
    key = JwksKey(kid=kid, key=loaded, alg=alg)
    if alg is not None and not key.accepts(alg):
        logger.warning("jwks: skipping key %r: algorithm %r does not fit its key type", kid, alg)
        return None
    return key


T = TypeVar("T")


class _Refreshing(Generic[T]):
    """A value fetched over HTTP: cached for `ttl`, fetched at most once per `min_interval` (successful or
    not), by one task at a time; a failed refresh keeps serving the last good value."""

    def __init__(
        self,
        load: Callable[[], Awaitable[T]],
        *,
        what: str,
        ttl: float,
        min_interval: float,
        clock: Callable[[], float],
    ) -> None:
        self._load = load
        self._what = what
        self._ttl = ttl
        self._min_interval = min_interval
        self._clock = clock
        self._lock = asyncio.Lock()
        self._value: T | None = None
        self._expires_at = 0.0
        self._last_attempt: float | None = None
        self._attempts = 0
        self._last_error: KeySetUnavailable = KeySetUnavailable("not fetched yet")

    async def get(self, *, refresh: bool = False) -> T:
        """The cached value; `refresh` asks for a new copy, granted only when the rate limit allows."""
        if self._value is not None and not refresh and self._clock() < self._expires_at:
            return self._value
        seen = self._attempts
        async with self._lock:
            if self._attempts == seen and self._due():  # else a task we waited on just fetched
                await self._fetch()
        if self._value is None:  # keep the error's type: DiscoveryError tells a misconfiguration apart
            raise type(self._last_error)(f"{self._what} unavailable: {self._last_error}")
        return self._value

    def _due(self) -> bool:
        return self._last_attempt is None or self._clock() - self._last_attempt >= self._min_interval

    async def _fetch(self) -> None:
        self._attempts += 1
        self._last_attempt = self._clock()
        try:
            value = await self._load()
        except KeySetUnavailable as exc:
            self._last_error = exc
            kept = "; keeping the last good copy" if self._value is not None else ""
            logger.warning("%s: fetch failed (%s)%s", self._what, exc, kept)
            return
        self._value = value
        self._expires_at = self._last_attempt + self._ttl


class _HttpJson:
    """A lazily created httpx client (it binds to the running event loop) that fetches small JSON objects."""

    def __init__(self, timeout_seconds: float) -> None:
        self._timeout = timeout_seconds
        self._client: httpx.AsyncClient | None = None

    async def get(self, url: str) -> dict[str, Any]:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self._timeout, follow_redirects=False, headers={"Accept": "application/json"}
            )
        body = bytearray()
        try:
            async with self._client.stream("GET", url) as response:
                if response.status_code != httpx.codes.OK:
                    raise KeySetUnavailable(f"GET {url}: HTTP {response.status_code}")
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_DOCUMENT_BYTES:
                        raise KeySetUnavailable(f"GET {url}: larger than {MAX_DOCUMENT_BYTES} bytes")
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError) as exc:
            raise KeySetUnavailable(f"GET {url}: {type(exc).__name__}: {exc}") from exc
        try:
            document = json.loads(body)
        except ValueError:
            raise KeySetUnavailable(f"GET {url}: not JSON") from None
        if not isinstance(document, dict):
            raise KeySetUnavailable(f"GET {url}: not a JSON object")
        return document

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class OidcDiscovery:
    """The issuer's OpenID Connect discovery document (cached), checked per OpenID Connect Discovery §4.3.

    The document is read from `issuer` without its trailing slash + `/.well-known/openid-configuration`
    (§4.1), and its `issuer` must equal the configured issuer exactly: otherwise anyone able to serve that
    URL could point us at their own keys.
    """

    def __init__(
        self,
        issuer: str,
        *,
        cache_seconds: float = 600,
        timeout_seconds: float = 5,
        allow_http: bool = False,
        min_refetch_seconds: float = MIN_REFETCH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.issuer = issuer
        self.url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        check_fetch_url(self.url, what="the OIDC issuer", allow_http=allow_http)
        self._allow_http = allow_http
        self._http = _HttpJson(timeout_seconds)
        self._document = _Refreshing(
            self._load,
            what="oidc discovery",
            ttl=cache_seconds,
            min_interval=min_refetch_seconds,
            clock=clock,
        )

    async def document(self) -> dict[str, Any]:
        """The validated discovery document; raises KeySetUnavailable / DiscoveryError."""
        return await self._document.get()

    async def jwks_uri(self) -> str:
        uri: str = (await self.document())["jwks_uri"]
        return uri

    async def _load(self) -> dict[str, Any]:
        document = await self._http.get(self.url)
        if document.get("issuer") != self.issuer:
            raise DiscoveryError(
                f"discovery document at {self.url} names issuer {document.get('issuer')!r}, "
                f"not the configured {self.issuer!r} (OpenID Connect Discovery §4.3)"
            )
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise DiscoveryError(f"discovery document at {self.url} has no jwks_uri")
        try:
            check_fetch_url(jwks_uri, what="the discovered jwks_uri", allow_http=self._allow_http)
        except ValueError as exc:
            raise DiscoveryError(str(exc)) from None
        return document

    async def aclose(self) -> None:
        await self._http.aclose()


class JwksCache:
    """Signing keys by kid from a JWKS URL (or the one OIDC discovery names), for the life of the process.

    Keys are cached for `cache_seconds`. A kid we do not know triggers a refetch, at most once per
    `min_refetch_seconds` and by one task at a time, so key rotation is picked up without letting a flood
    of made-up kids hammer the identity provider. If a refetch fails, the last good key set stays in use.
    """

    def __init__(
        self,
        source: str | OidcDiscovery,
        *,
        cache_seconds: float = 600,
        timeout_seconds: float = 5,
        allow_http: bool = False,
        min_refetch_seconds: float = MIN_REFETCH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(source, str):
            check_fetch_url(source, what="jwks_url", allow_http=allow_http)
        self._source = source
        self._http = _HttpJson(timeout_seconds)
        self._keys = _Refreshing(
            self._load, what="jwks", ttl=cache_seconds, min_interval=min_refetch_seconds, clock=clock
        )

    async def key_for(self, kid: str | None, algorithm: str) -> JwksKey | None:
        """The key that may verify a token with this kid and alg, or None; raises KeySetUnavailable when
        no key set could ever be fetched.

        Without a kid, the only key that fits the algorithm is used (some issuers omit kid).
        """
        found = _find(await self._keys.get(), kid, algorithm)
        if found is None and kid is not None:
            found = _find(await self._keys.get(refresh=True), kid, algorithm)
        return found

    async def keys(self) -> tuple[JwksKey, ...]:
        """The current key set (fetching it if needed)."""
        return await self._keys.get()

    async def _load(self) -> tuple[JwksKey, ...]:
        url = self._source if isinstance(self._source, str) else await self._source.jwks_uri()
        return parse_jwks(await self._http.get(url))

    async def aclose(self) -> None:
        await self._http.aclose()


def _find(keys: tuple[JwksKey, ...], kid: str | None, algorithm: str) -> JwksKey | None:
    if kid is None:
        candidates = [key for key in keys if key.accepts(algorithm)]
        return candidates[0] if len(candidates) == 1 else None
    return next((key for key in keys if key.kid == kid), None)
