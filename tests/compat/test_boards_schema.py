"""Atelier's GraphQL schema stays a superset of the Boards API: no breaking change and no unreviewed dangerous
change (graphql-core's own comparison) from the Boards signatures in boards_excerpt.graphql."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, find_breaking_changes, find_dangerous_changes

from app.graphql.schema import schema

BOARDS = build_schema((Path(__file__).with_name("boards_excerpt.graphql")).read_text())
ATELIER = build_schema(schema.as_str())  # the SDL we serve and export (public API, no private attributes)
# Dangerous changes kept on purpose: older Boards clients send addBoardMember's flat arguments (issue 15);
# they are optional alternatives to `input`, which still works as Boards defines it.
REVIEWED = {
    f"An optional argument Mutation.addBoardMember({name}:) was added."
    for name in ("boardId", "userId", "role")
}


def test_no_breaking_change_from_boards() -> None:
    assert find_breaking_changes(BOARDS, ATELIER) == []


def test_no_unreviewed_dangerous_change_from_boards() -> None:
    changes = {change.description for change in find_dangerous_changes(BOARDS, ATELIER)}
    assert changes - REVIEWED == set()
