"""Filenames clients send are shown back to people, never used as paths: make them safe to show and store."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from app.domain.uploads.errors import InvalidFilename

MAX_FILENAME_BYTES = 255
FALLBACK = "upload"
_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f\x7f-\x9f]')  # shell/Windows-reserved and control characters
_SPACES = re.compile(r"\s+")


def sanitize_filename(name: str) -> str:
    """A display name without control or reserved characters, at most 255 UTF-8 bytes (extension kept).

    A name that names a path (a separator, `..`, NUL) is an attack, not a typo: it is refused.
    """
    if "/" in name or "\\" in name or "\x00" in name or name.strip() in (".", ".."):
        raise InvalidFilename(
            "the filename must not contain a path (/, \\, .. or NUL)", details={"field": "filename"}
        )
    return _clean(name)


def filename_from_url(url: str) -> str:
    """The last path segment of a URL, percent-decoded and cleaned (separators it decodes to become _)."""
    segment = urlsplit(url).path.rsplit("/", 1)[-1]
    decoded = unquote(segment).replace("/", "_").replace("\\", "_").replace("\x00", "")
    return _clean("" if decoded.strip() in (".", "..") else decoded)


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = _SPACES.sub(" ", text).strip(" .")
    return _truncate(text) or FALLBACK


def _truncate(name: str) -> str:
    """Cut to MAX_FILENAME_BYTES of UTF-8, keeping a short extension and never splitting a character."""
    if len(name.encode()) <= MAX_FILENAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext.encode()) > 16:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    budget = MAX_FILENAME_BYTES - len(suffix.encode())
    cut = stem.encode()[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return f"{cut}{suffix}" if cut else FALLBACK
