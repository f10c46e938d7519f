"""The filename sanitiser: whatever a client sends, the name kept is safe to show and never a path."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.uploads import InvalidFilename
from app.domain.uploads.filenames import MAX_FILENAME_BYTES, filename_from_url, sanitize_filename


def assert_safe(name: str) -> None:
    assert name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert name not in (".", "..") and not name.startswith(".") and not name.startswith(" ")
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)
    assert not set('<>:"|?*') & set(name)
    assert len(name.encode()) <= MAX_FILENAME_BYTES


@given(st.text(max_size=600))
@example("a" * 300 + ".png")
@example("é" * 200 + ".jpeg")
@example(" .hidden")
@example("x\u202egnp.exe")  # right-to-left override: a classic display spoof
def test_any_text_is_refused_or_made_safe(name: str) -> None:
    try:
        cleaned = sanitize_filename(name)
    except InvalidFilename:
        assert any(c in name for c in "/\\\x00") or name.strip() in (".", "..")
        return
    assert_safe(cleaned)
    assert sanitize_filename(cleaned) == cleaned  # idempotent


@given(st.text(max_size=300))
def test_names_from_urls_are_always_safe(segment: str) -> None:
    from urllib.parse import quote

    assert_safe(filename_from_url("https://example.com/dir/" + quote(segment, safe="")))


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a/b.png", "x\x00.png", "..", "."]
)
def test_paths_are_refused(name: str) -> None:
    with pytest.raises(InvalidFilename) as raised:
        sanitize_filename(name)
    assert raised.value.code == "INVALID_FILENAME"


def test_ordinary_names_survive_and_long_ones_keep_their_extension() -> None:
    assert sanitize_filename("Sunset at the pier (2).png") == "Sunset at the pier (2).png"
    assert sanitize_filename('bad<>:"|?*name.jpg') == "bad_______name.jpg"
    long = sanitize_filename("ü" * 400 + ".webp")
    assert long.endswith(".webp") and len(long.encode()) <= MAX_FILENAME_BYTES
    assert filename_from_url("https://h/x/..%2F..%2Fetc%2Fpasswd") == ".._.._etc_passwd".lstrip(".")
    assert filename_from_url("https://h/") == "upload"
