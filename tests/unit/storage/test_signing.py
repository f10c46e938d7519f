"""Signed file URLs expire and cannot be forged; keys cannot leave the store; routing rules."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.storage import LocalStorage, Route, Storage
from app.storage.signing import UrlSigner

NOW = 1_800_000_000.0
signer = UrlSigner("a-secret", ttl_s=600)
keys = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


def _parts(url: str) -> tuple[str, dict[str, str]]:
    split = urlsplit(url)
    return unquote(split.path.removeprefix("/api/v1/files/")), {
        k: v[0] for k, v in parse_qs(split.query).items()
    }


@given(key=keys)
def test_a_signed_url_verifies_for_its_key_until_it_expires(key: str) -> None:
    path_key, query = _parts(signer.get_url(key, now=NOW))
    assert path_key == key
    expires, signature = int(query["expires"]), query["signature"]
    assert NOW + 600 <= expires <= NOW + 600 + 100  # rounded up to a sixth of the TTL (reusable URLs)
    assert signer.verify_get(key, expires, signature, now=NOW + 599)
    assert not signer.verify_get(key, expires, signature, now=expires + 1)


@given(key=keys, other=keys)
def test_a_signature_does_not_open_another_key(key: str, other: str) -> None:
    _, query = _parts(signer.get_url(key, now=NOW))
    if other != key:
        assert not signer.verify_get(other, int(query["expires"]), query["signature"], now=NOW)


@given(key=keys, shift=st.integers(min_value=1, max_value=10**9))
def test_moving_the_expiry_breaks_the_signature(key: str, shift: int) -> None:
    _, query = _parts(signer.get_url(key, now=NOW))
    assert not signer.verify_get(key, int(query["expires"]) + shift, query["signature"], now=NOW)


@given(key=keys, position=st.integers(min_value=0, max_value=31), char=st.sampled_from("0123456789abcdef"))
def test_a_tampered_signature_is_refused(key: str, position: int, char: str) -> None:
    _, query = _parts(signer.get_url(key, now=NOW))
    signature = query["signature"]
    tampered = signature[:position] + char + signature[position + 1 :]
    assert signer.verify_get(key, int(query["expires"]), tampered, now=NOW) == (tampered == signature)


def test_another_secret_and_another_purpose_do_not_verify() -> None:
    _, query = _parts(signer.get_url("t/b/g.png", now=NOW))
    expires, signature = int(query["expires"]), query["signature"]
    assert not UrlSigner("another-secret").verify_get("t/b/g.png", expires, signature, now=NOW)
    assert not signer.verify_get("t/b/g.png", expires, signature, disposition="attachment", now=NOW)
    # a download link is never an upload link, whatever limits are claimed
    for max_bytes in (1, 10**9):
        assert not signer.verify_put("t/b/g.png", expires, max_bytes, "image/png", signature, now=NOW)


@given(max_bytes=st.integers(min_value=1, max_value=2**40), bigger=st.integers(min_value=1, max_value=2**40))
@settings(max_examples=50)
def test_an_upload_signature_binds_its_size_limit_and_type(max_bytes: int, bigger: int) -> None:
    _, query = _parts(
        signer.put_url("t/b/u.mp4", max_bytes=max_bytes, content_type="video/mp4", ttl_s=60, now=NOW)
    )
    expires, signature = int(query["expires"]), query["signature"]
    assert int(query["maxBytes"]) == max_bytes and query["contentType"] == "video/mp4"
    assert signer.verify_put("t/b/u.mp4", expires, max_bytes, "video/mp4", signature, now=NOW)
    assert not signer.verify_put("t/b/u.mp4", expires, max_bytes + bigger, "video/mp4", signature, now=NOW)
    assert not signer.verify_put("t/b/u.mp4", expires, max_bytes, "text/html", signature, now=NOW)
    assert not signer.verify_put("t/b/u.mp4", expires, max_bytes, "video/mp4", signature, now=expires + 1)


@given(
    parts=st.lists(st.sampled_from(["a", "..", ".", "b.png", "", "x/..", "/etc"]), min_size=1, max_size=6),
    prefix=st.sampled_from(["", "/", "s3:", "gcs:", "nope:"]),
)
def test_no_key_resolves_outside_the_store(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], prefix: str
) -> None:
    root = tmp_path_factory.getbasetemp() / "root"
    storage = Storage(LocalStorage(root, "s"))
    key = prefix + "/".join(parts)
    try:
        backend, inner = storage.resolve(key)
    except ValueError:
        return
    assert backend is storage.local and ":" not in key
    assert root.resolve() in storage.path_for(inner).parents


def test_routing_rules_pick_the_first_match(tmp_path: Path) -> None:
    routes = [
        Route(backend="s3", artifact_types=["video"], min_bytes=50 * 2**20),
        Route(backend="gcs", artifact_types=["audio", "text"]),
        Route(backend="supabase", max_bytes=10),
    ]
    storage = Storage(LocalStorage(tmp_path, "s"), routes=routes)
    storage.backends.update({"s3": storage.local, "gcs": storage.local, "supabase": storage.local})
    assert storage.choose("video", 50 * 2**20) == "s3"
    assert storage.choose("video", 50 * 2**20 - 1) == "local"
    assert storage.choose("text", 10**9) == "gcs"
    assert storage.choose("image", 10) == "supabase"
    assert storage.choose("image", 11) == "local"
    assert storage.choose(None, 5) == "supabase"


def test_unconfigured_backends_are_refused_at_start() -> None:
    from pydantic import ValidationError

    from app.storage import StorageConfig

    with pytest.raises(ValidationError, match="s3"):
        StorageConfig(default="s3")
    with pytest.raises(ValidationError, match="gcs"):
        StorageConfig(routes=[Route(backend="gcs")])
    assert StorageConfig().default == "local"  # `make run` needs no keys


def test_a_remembered_url_is_not_served_past_its_expiry_step() -> None:
    """Inline URLs are remembered per key, but only while their expiry step lasts: a later call gets a
    URL that expires later, and one of another key never gets this key's."""
    remembering = UrlSigner("a-secret", ttl_s=600)
    first = _parts(remembering.get_url("t/b/g.png", now=NOW - 50))[1]
    assert _parts(remembering.get_url("t/b/g.png", now=NOW - 10))[1] == first  # same step: the same URL
    later = _parts(remembering.get_url("t/b/g.png", now=NOW + 600))[1]
    assert int(later["expires"]) > int(first["expires"])
    assert remembering.verify_get("t/b/g.png", int(later["expires"]), later["signature"], now=NOW + 1100)
    other = _parts(remembering.get_url("t/b/h.png", now=NOW))[0]
    assert other == "t/b/h.png"
