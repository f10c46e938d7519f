"""The one page-size rule every list use case applies."""

from __future__ import annotations

from app.domain.errors import Invalid

MAX_OFFSET = 10_000_000  # deeper pages are a scan, not a use: and PostgreSQL's bigint ends at 2^63


def check_page(limit: int, offset: int = 0, *, maximum: int = 200) -> None:
    if not 1 <= limit <= maximum:
        raise Invalid(f"limit must be 1-{maximum}", details={"field": "limit"})
    if not 0 <= offset <= MAX_OFFSET:
        raise Invalid(f"offset must be 0-{MAX_OFFSET}", details={"field": "offset"})
