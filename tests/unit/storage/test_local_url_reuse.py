"""Signed local URLs are reused within a step (cacheable) and still expire within their bounds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from app.storage import LocalStorage

TTL = 6 * 3600


def _parts(url: str) -> tuple[int, str]:
    query = parse_qs(urlsplit(url).query)
    return int(query["expires"][0]), query["signature"][0]


@given(now=st.integers(min_value=1_600_000_000, max_value=2_000_000_000))
def test_expiry_is_between_the_ttl_and_a_sixth_more(now: int) -> None:
    storage = LocalStorage(Path("/nonexistent"), "secret", url_ttl_seconds=TTL)
    expires, signature = _parts(storage.signed_url("t/b/g.png", now=now))
    assert now + TTL <= expires <= now + TTL + TTL // 6
    assert storage.verify("t/b/g.png", expires, signature, now=now)
    assert not storage.verify("t/b/g.png", expires, signature, now=expires + 1)
    assert not storage.verify("t/b/other.png", expires, signature, now=now)


def test_the_same_file_gets_the_same_url_within_a_step_and_a_new_one_after() -> None:
    storage = LocalStorage(Path("/nonexistent"), "secret", url_ttl_seconds=TTL)
    start = 1_800_000_000 - (1_800_000_000 % (TTL // 6))  # the start of a step
    first = storage.signed_url("t/b/g.png", now=start + 1)
    assert storage.signed_url("t/b/g.png", now=start + TTL // 6 - 1) == first
    assert storage.signed_url("t/b/g.png", now=start + TTL // 6 + 1) != first
    assert storage.signed_url("t/b/h.png", now=start + 1) != first
