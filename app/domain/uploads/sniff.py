"""What the bytes are, from their magic numbers (never from the client's Content-Type or file name)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.uploads.errors import UnsupportedContent

MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
MP3_SYNC_MASK = 0xE0
BAD_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")  # tab, newlines and form feed are fine


@dataclass(frozen=True, slots=True)
class Sniffed:
    """A recognised format: its MIME type, the extension stored files get, and the artifact type it is."""

    mime: str
    extension: str
    artifact_type: str


def sniff(data: bytes) -> Sniffed:
    """The format of `data`, or UnsupportedContent. Binary formats first; text only if nothing else matched."""
    found = _binary(data[:64])
    if found is not None:
        return found
    if _is_text(data):
        return Sniffed("text/plain", "txt", "text")
    raise UnsupportedContent(
        "unsupported file format (allowed: PNG, JPEG, GIF, WebP, MP4, WebM, WAV, MP3, Ogg, FLAC, UTF-8 text)"
    )


def _binary(head: bytes) -> Sniffed | None:  # noqa: PLR0911  (one return per format reads best)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "png", "image")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "jpg", "image")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image/gif", "gif", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "webp", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio/wav", "wav", "audio")
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return Sniffed("video/mp4", "mp4", "video")
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return Sniffed("video/webm", "webm", "video")
    if head.startswith(b"OggS"):
        return Sniffed("audio/ogg", "ogg", "audio")
    if head.startswith(b"fLaC"):
        return Sniffed("audio/flac", "flac", "audio")
    if head.startswith(b"ID3") or _mp3_frame(head):
        return Sniffed("audio/mpeg", "mp3", "audio")
    return None


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a valid version, and layer I-III (not AAC's layer 00)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & MP3_SYNC_MASK != MP3_SYNC_MASK:
        return False
    version, layer, bitrate = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11, head[2] >> 4
    return version != 0b01 and layer != 0 and bitrate not in (0, 0b1111)


def _is_text(data: bytes) -> bool:
    """UTF-8 (BOM allowed) without NUL or control characters other than tab, newlines and form feed."""
    if not data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return BAD_TEXT_CONTROLS.search(text) is None


def check_declared(sniffed: Sniffed, declared: str) -> Sniffed:
    """The bytes must be what the client said they are; WebM and Ogg carry audio or video, so either fits."""
    if sniffed.artifact_type == declared:
        return sniffed
    if sniffed.extension == "webm" and declared == "audio":
        return Sniffed("audio/webm", "webm", "audio")
    raise UnsupportedContent(
        f"the file is {sniffed.mime}, not {declared} as declared",
        details={"field": "artifactType", "detected": sniffed.mime},
    )


def sniff_head(head: bytes, *, truncated: bool) -> Sniffed:
    """`sniff` on the first bytes of a larger file: a UTF-8 character cut at the end is not an error."""
    if truncated:
        for cut in range(4):
            try:
                (head[: len(head) - cut] if cut else head).decode("utf-8-sig")
            except UnicodeDecodeError:
                continue
            return sniff(head[: len(head) - cut] if cut else head)
    return sniff(head)
