"""HMAC-signed, expiring URLs for the app's own file endpoint: GET (download) and PUT (direct upload).

The two purposes sign different messages, so a download link can never be replayed as an upload.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

FILES_PATH = "/api/v1/files"
SIGNATURE_HEX = 32
_INLINE_KEPT = 8192  # URLs remembered by key (a few pages of generations); forgotten all at once when full


class UrlSigner:
    def __init__(self, secret: str, *, ttl_s: int = 6 * 3600) -> None:
        self._secret = hashlib.sha256(b"atelier-files:" + secret.encode()).digest()
        self.ttl_s = ttl_s
        self._step = max(1, ttl_s // 6)
        self._inline: dict[str, tuple[int, str]] = {}  # key -> (expires, URL): the common case, by key alone

    def _sign(self, *parts: object) -> str:
        message = "|".join(str(p) for p in parts).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:SIGNATURE_HEX]

    def get_signature(self, key: str, expires: int, disposition: str = "inline") -> str:
        # the inline form keeps the pre-existing message, so links already handed out stay valid
        return self._sign(key, expires) if disposition == "inline" else self._sign(key, expires, disposition)

    def get_url(self, key: str, *, now: float | None = None, disposition: str = "inline") -> str:
        """A URL valid for at least ttl_s (and at most a sixth longer).

        The expiry is rounded up to a step of a sixth of the TTL, so the same file gets the same URL for a
        while: browsers and CDNs can cache it, and a page of 50 generations signs nothing new (profiled:
        signing was a tenth of GetBoard's CPU).
        """
        step = self._step
        expires = -(-int((now if now is not None else time.time()) + self.ttl_s) // step) * step
        if disposition != "inline":
            return self._get_url(key, expires, disposition)
        found = self._inline.get(key)
        if found is not None and found[0] == expires:
            return found[1]
        url = self._get_url(key, expires, disposition)
        if len(self._inline) >= _INLINE_KEPT:
            self._inline.clear()
        self._inline[key] = (expires, url)
        return url

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one signer per process; keys are small
    def _get_url(self, key: str, expires: int, disposition: str) -> str:
        query: dict[str, str | int] = {
            "expires": expires,
            "signature": self.get_signature(key, expires, disposition),
        }
        if disposition != "inline":
            query["disposition"] = disposition
        return f"{FILES_PATH}/{quote(key)}?{urlencode(query)}"

    def verify_get(
        self, key: str, expires: int, signature: str, *, disposition: str = "inline", now: float | None = None
    ) -> bool:
        if expires < (now if now is not None else time.time()) or not signature.isascii():
            return False
        return hmac.compare_digest(self.get_signature(key, expires, disposition), signature)

    def put_signature(self, key: str, expires: int, max_bytes: int, content_type: str) -> str:
        return self._sign("PUT", key, expires, max_bytes, content_type)

    def put_url(
        self, key: str, *, max_bytes: int, content_type: str, ttl_s: int, now: float | None = None
    ) -> str:
        expires = int((now if now is not None else time.time()) + ttl_s)
        query = {
            "expires": expires,
            "maxBytes": max_bytes,
            "contentType": content_type,
            "signature": self.put_signature(key, expires, max_bytes, content_type),
        }
        return f"{FILES_PATH}/{quote(key)}?{urlencode(query)}"

    def verify_put(
        self,
        key: str,
        expires: int,
        max_bytes: int,
        content_type: str,
        signature: str,
        *,
        now: float | None = None,
    ) -> bool:
        if expires < (now if now is not None else time.time()):
            return False
        if not signature.isascii():
            return False
        return hmac.compare_digest(self.put_signature(key, expires, max_bytes, content_type), signature)
