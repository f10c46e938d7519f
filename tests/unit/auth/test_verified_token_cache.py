"""The verified-token cache: hits only for the exact token, never past expiry (plus leeway), bounded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.auth.tokens import InvalidToken, LocalTokenIssuer
from app.auth.tokens._cache import VerifiedTokens
from app.auth.tokens._local import LocalClaims


@dataclass(frozen=True)
class Claims:
    expires_at: datetime


def test_an_entry_expires_with_its_token_plus_the_leeway() -> None:
    cache: VerifiedTokens[Claims] = VerifiedTokens(leeway_seconds=30)
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    cache.put("t", Claims(expires))
    assert cache.get("t", now=expires.timestamp() + 29) == Claims(expires)
    assert cache.get("t", now=expires.timestamp() + 30) is None
    assert len(cache) == 0  # dropped, not kept around


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: VerifiedTokens[Claims] = VerifiedTokens(leeway_seconds=0, max_entries=2)
    later = Claims(datetime(2030, 1, 1, tzinfo=UTC))
    cache.put("a", later)
    cache.put("b", later)
    assert cache.get("a", now=0) is not None  # a is now the most recent
    cache.put("c", later)
    assert cache.get("b", now=0) is None
    assert cache.get("a", now=0) is not None and cache.get("c", now=0) is not None


def test_the_issuer_caches_only_what_it_verified() -> None:
    issuer = LocalTokenIssuer("s" * 48)
    token, _ = issuer.issue_access(uuid.uuid4(), uuid.uuid4(), is_admin=False, email=None)
    first = issuer.verify_access(token)
    assert issuer.verify_access(token) is first  # the cached claims
    assert issuer.try_verify_access(token) is first
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(InvalidToken):
        issuer.verify_access(forged)


def test_an_expired_token_fails_even_after_it_was_cached() -> None:
    issued = datetime.now(UTC) - timedelta(seconds=120)
    issuer = LocalTokenIssuer("s" * 48, access_ttl_seconds=100, leeway_seconds=0, clock=lambda: issued)
    token, expires_at = issuer.issue_access(uuid.uuid4(), uuid.uuid4(), is_admin=False, email=None)
    assert expires_at < datetime.now(UTC)
    with pytest.raises(InvalidToken):
        issuer.verify_access(token)
    # put it in by hand, as if verified just before it expired: the cache still refuses it now
    issuer._verified.put(token, issuer_claims := _claims(expires_at))
    assert issuer_claims.expires_at < datetime.now(UTC)
    with pytest.raises(InvalidToken):
        issuer.verify_access(token)


def _claims(expires_at: datetime) -> LocalClaims:
    return LocalClaims(
        user_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        is_admin=False,
        email=None,
        token_id="j",
        issued_at=expires_at - timedelta(seconds=100),
        expires_at=expires_at,
    )
