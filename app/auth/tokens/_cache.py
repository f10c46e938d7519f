"""A small cache of verified access tokens: a client sends the same token on every request until it expires.

Verifying a local token parses it three times and runs PyJWT's per-character checks: about a millisecond of
CPU, most of a small request's cost (profiled). The key is the whole token string, so a hit means these
exact bytes were verified before; the expiry (with the verifier's leeway) is checked again on every hit.
Access tokens carry no server-side state to revoke, so nothing else can change between two checks.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import datetime
from typing import Generic, Protocol, TypeVar


class Expiring(Protocol):
    @property
    def expires_at(self) -> datetime: ...


C = TypeVar("C", bound=Expiring)


class VerifiedTokens(Generic[C]):
    """Least-recently-used map from token to its verified claims, bounded in entries."""

    def __init__(self, *, leeway_seconds: int, max_entries: int = 4096) -> None:
        self._leeway = leeway_seconds
        self._max = max_entries
        self._entries: OrderedDict[str, C] = OrderedDict()

    def get(self, token: str, *, now: float | None = None) -> C | None:
        claims = self._entries.get(token)
        if claims is None:
            return None
        if claims.expires_at.timestamp() + self._leeway <= (time.time() if now is None else now):
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return claims

    def put(self, token: str, claims: C) -> None:
        self._entries[token] = claims
        self._entries.move_to_end(token)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
