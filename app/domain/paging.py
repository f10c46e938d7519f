"""The one page-size rule every list use case applies."""

from __future__ import annotations

from app.contracts import PageInfo
from app.domain.errors import Invalid

MAX_OFFSET = 10_000_000  # deeper pages are a scan, not a use: and PostgreSQL's bigint ends at 2^63
# A list's total is counted at most this many rows past its page: an exact count reads every matching row
# (3.4 s for "every generation I can read" at 1,000,000 rows); past it the total is a lower bound, and the
# page says so (PageInfo.total_exact). Nobody pages 10,000 rows ahead; a client that must know uses search.
COUNT_AHEAD = 10_000


def count_limit(limit: int, offset: int) -> int:
    """How many matching rows a list counts at most (its total is exact below this)."""
    return offset + limit + COUNT_AHEAD


def page_info(total: int, limit: int, offset: int, *, rows: int, up_to: int | None) -> PageInfo:
    """A list's PageInfo. A count that reached `up_to` is a lower bound (total_exact false); an uncounted
    list (`up_to` None: GraphQL shows no total) knows its total only on its last page."""
    exact = total < up_to if up_to is not None else rows < limit
    return PageInfo(total=total, limit=limit, offset=offset, total_exact=exact)


def check_page(limit: int, offset: int = 0, *, maximum: int = 200) -> None:
    if not 1 <= limit <= maximum:
        raise Invalid(f"limit must be 1-{maximum}", details={"field": "limit"})
    if not 0 <= offset <= MAX_OFFSET:
        raise Invalid(f"offset must be 0-{MAX_OFFSET}", details={"field": "offset"})
