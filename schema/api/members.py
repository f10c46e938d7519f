"""Board members and invitations."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from schema.api.common import BoardRole, Contract
from schema.api.users import Email


class BoardMember(Contract):
    """A user's membership of a board (the owner is not a member row)."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "BoardMember", "kind": "type"}}}

    id: UUID
    board_id: UUID
    user_id: UUID
    role: BoardRole
    invited_by: UUID | None
    joined_at: datetime


class BoardMemberCreate(Contract):
    """Add a user of the same tenant to a board (board admins and the owner)."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    user_id: UUID
    role: BoardRole = BoardRole.VIEWER


class AddBoardMemberInput(BoardMemberCreate):
    """GraphQL's addBoardMember input: the REST body plus the board id."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "AddBoardMemberInput", "kind": "input", "declareDefaults": True},
            "x-rest": {"skip": True},
        }
    }

    board_id: UUID


class BoardMemberUpdate(Contract):
    """Change a member's role."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    role: BoardRole


class BoardInvitationCreate(Contract):
    """Invite someone by e-mail; they join when they sign up or sign in with that address."""

    model_config = {"json_schema_extra": {"x-graphql": {"skip": True}}}

    email: str = Email
    role: BoardRole = BoardRole.VIEWER


class InviteBoardMemberInput(BoardInvitationCreate):
    """GraphQL's inviteBoardMember input: the REST body plus the board id."""

    model_config = {
        "json_schema_extra": {
            "x-graphql": {"name": "InviteBoardMemberInput", "kind": "input"},
            "x-rest": {"skip": True},
        }
    }

    board_id: UUID


class BoardInvitation(Contract):
    """A pending (or settled) invitation to a board."""

    model_config = {"json_schema_extra": {"x-graphql": {"name": "BoardInvitation", "kind": "type"}}}

    id: UUID
    board_id: UUID
    email: str
    role: BoardRole
    status: str
    invited_by: UUID | None
    expires_at: datetime
    created_at: datetime
