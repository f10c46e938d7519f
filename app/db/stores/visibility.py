"""The policy's READ rule as SQL, for lists that must filter in the database (search, feeds, recent).

It renders app.domain.policy.access_level(...) >= READ; tests/integration/db/test_visibility.py checks the two agree
on every combination, so the rule still has one meaning.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, exists, false, or_, true


def readable_boards(
    boards: Table, members: Table, viewer: UUID | ColumnElement[Any] | None, *, public_reads: bool
) -> ColumnElement[bool]:
    """Boards the viewer may read (tenant scoping is added separately by the store). The viewer may be a
    bound parameter (search builds its statement once per shape); None means anonymous."""
    public = boards.c.is_public if (viewer is not None or public_reads) else false()
    if viewer is None:
        return and_(true(), public)
    member = exists().where(members.c.board_id == boards.c.id, members.c.user_id == viewer)
    return or_(public, boards.c.owner_id == viewer, member)
