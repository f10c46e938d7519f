"""Why an upload was refused. Each is an `Invalid` (the caller's input), with a code that says which rule."""

from __future__ import annotations

from app.domain.errors import Invalid


class TooLarge(Invalid):
    """More bytes (or, for images, more pixels) than the limits allow."""

    code = "PAYLOAD_TOO_LARGE"


class UnsupportedContent(Invalid):
    """The bytes are not a supported format, not the declared artifact type, or not a valid file."""

    code = "UNSUPPORTED_MEDIA_TYPE"


class UrlNotAllowed(Invalid):
    """The URL may not be fetched: its scheme, or an address it resolves or redirects to (SSRF)."""

    code = "URL_NOT_ALLOWED"


class FetchFailed(Invalid):
    """The URL was allowed but fetching it failed (network error, non-2xx answer, timeout)."""

    code = "URL_FETCH_FAILED"


class InvalidFilename(Invalid):
    """A filename that tries to name a path (separators, `..`, NUL)."""

    code = "INVALID_FILENAME"
