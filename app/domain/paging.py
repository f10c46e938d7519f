"""The one page-size rule every list use case applies."""

from __future__ import annotations

from app.domain.errors import Invalid


def check_page(limit: int, offset: int = 0, *, maximum: int = 200) -> None:
    if not 1 <= limit <= maximum or offset < 0:
        raise Invalid(f"limit must be 1-{maximum} and offset ≥ 0", details={"field": "limit"})
