"""A list's total without a window count: `count(*) OVER ()` over a page makes PostgreSQL read and sort
every matching row before the LIMIT (searchUsers: 5,000 of 100,000 users sorted to return 20, 86 ms), so
pages are read alone and counted apart, only when the total is asked for and the page cannot tell it."""

from __future__ import annotations

from sqlalchemy import ColumnElement, FromClause, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession


async def page_total(
    session: AsyncSession,
    table: FromClause,
    where: ColumnElement[bool],
    *,
    rows: int,
    limit: int,
    offset: int,
    count_up_to: int | None,
) -> int:
    """The total of a page of `rows` rows: offset + rows when the page is the last one (or nobody asked for
    a count: then a lower bound); otherwise the matching rows counted, stopping at `count_up_to`."""
    if count_up_to is None or (rows < limit and (rows or offset == 0)):
        return offset + rows
    matching = select(literal(1)).select_from(table).where(where).limit(count_up_to).subquery()
    return int((await session.execute(select(func.count()).select_from(matching))).scalar_one())
