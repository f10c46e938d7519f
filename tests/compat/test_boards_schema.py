"""Atelier's GraphQL schema stays a superset of the Boards API: no breaking change and no unreviewed dangerous
change (graphql-core's own comparison) from the Boards signatures in boards_excerpt.graphql, which holds the
Boards backend's query and mutation roots and every input type with its defaults."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, find_breaking_changes, find_dangerous_changes, is_input_object_type

from app.graphql.schema import schema

BOARDS = build_schema((Path(__file__).with_name("boards_excerpt.graphql")).read_text())
ATELIER = build_schema(schema.as_str())  # the SDL we serve and export (public API, no private attributes)

# Dangerous changes kept on purpose, each with its reason. Every one adds to Boards or keeps a Boards document
# working as it does on Boards; none changes a default Boards declares.
REVIEWED = {
    # Older Boards clients send addBoardMember's flat arguments (issue 15); they are optional alternatives to
    # `input`, which still works as Boards defines it.
    **{
        f"An optional argument Mutation.addBoardMember({name}:) was added.": "older Boards clients"
        for name in ("boardId", "userId", "role")
    },
    # Atelier's own fields, optional with default null (null and omitted mean the contract default).
    "An optional field CreateBoardInput.metadata was added.": "Board.metadata is settable, as over REST",
    "An optional field UpdateBoardInput.metadata was added.": "Board.metadata is settable, as over REST",
    "An optional field CreateGenerationInput.idempotencyKey was added.": "retries never run twice",
    # A patch's description: Boards declares `= null` and ignores null; graphql-core fills a declared default
    # in for an omitted field, so Atelier could then not tell "left out" (unchanged) from null (clears it, as
    # REST's PATCH does: tests/contract/test_boards.py). Omitted stays unchanged, as in Boards.
    "UpdateBoardInput.description defaultValue was removed.": "null clears the description, as over REST",
    "UpdateTagInput.description defaultValue was removed.": "null clears the description, as over REST",
}


def test_no_breaking_change_from_boards() -> None:
    assert find_breaking_changes(BOARDS, ATELIER) == []


def test_dangerous_changes_from_boards_are_exactly_the_reviewed_ones() -> None:
    """Boards' input defaults (isPublic false, role VIEWER, null elsewhere) and argument defaults hold."""
    changes = {change.description for change in find_dangerous_changes(BOARDS, ATELIER)}
    assert changes == set(REVIEWED)


def test_the_excerpt_holds_both_roots_and_every_boards_input() -> None:
    """The comparison is only as good as the excerpt: the mutation root and its inputs are in it."""
    assert BOARDS.mutation_type is not None and len(BOARDS.mutation_type.fields) == 16
    inputs = {name for name, kind in BOARDS.type_map.items() if is_input_object_type(kind)}
    assert inputs == {
        "CreateBoardInput", "UpdateBoardInput", "AddBoardMemberInput", "CreateGenerationInput",
        "UploadArtifactInput", "CreateTagInput", "UpdateTagInput",
    }  # fmt: skip
