"""Content sniffing: the bytes decide the type; the declared artifact type must match them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.uploads import UnsupportedContent
from app.domain.uploads.sniff import check_declared, sniff

SAMPLES = {
    b"\x89PNG\r\n\x1a\n" + b"\0" * 20: ("image/png", "image"),
    b"\xff\xd8\xff\xe0\0\x10JFIF": ("image/jpeg", "image"),
    b"GIF89a\x01\0\x01\0": ("image/gif", "image"),
    b"RIFF\x24\0\0\0WEBPVP8 ": ("image/webp", "image"),
    b"\0\0\0\x18ftypisom\0\0\x02\0": ("video/mp4", "video"),
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm": ("video/webm", "video"),
    b"RIFF\x24\0\0\0WAVEfmt ": ("audio/wav", "audio"),
    b"ID3\x04\0\0\0\0\0\0": ("audio/mpeg", "audio"),
    b"\xff\xfb\x90\x44\0\0": ("audio/mpeg", "audio"),
    b"OggS\0\x02\0\0": ("audio/ogg", "audio"),
    b"fLaC\0\0\0\x22": ("audio/flac", "audio"),
    "Grüße, world\n\ttabbed".encode(): ("text/plain", "text"),
    b"\xef\xbb\xbfwith a BOM": ("text/plain", "text"),
}


@pytest.mark.parametrize(("data", "expected"), SAMPLES.items())
def test_magic_numbers(data: bytes, expected: tuple[str, str]) -> None:
    found = sniff(data)
    assert (found.mime, found.artifact_type) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"\x7fELF\x02\x01\x01",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"MZ\x90\0",
        b"PK\x03\x04",
        b"\0\0\0\0",
        b"text\0with nul",
        b"\xff\xfe",
    ],
)
def test_other_formats_are_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedContent):
        sniff(data)


def test_the_declared_type_must_match_the_bytes() -> None:
    png = sniff(b"\x89PNG\r\n\x1a\n")
    assert check_declared(png, "image") is png
    with pytest.raises(UnsupportedContent, match="not video"):
        check_declared(png, "video")
    assert check_declared(sniff(b"\x1a\x45\xdf\xa3....webm"), "audio").mime == "audio/webm"


@given(st.binary(max_size=256))
def test_sniffing_never_fails_unexpectedly(data: bytes) -> None:
    try:
        found = sniff(data)
    except UnsupportedContent:
        return
    assert found.artifact_type in {"image", "video", "audio", "text"}
