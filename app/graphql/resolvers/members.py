"""Board member mutations (Boards names) and Atelier's invitations."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app import contracts
from app.domain.errors import Invalid, NotFound
from app.graphql._generated.types import (
    AcceptInvitationInput,
    AddBoardMemberInput,
    BoardInvitationFields,
    BoardRole,
    InviteBoardMemberInput,
)
from app.graphql.context import Info
from app.graphql.types import Board


async def _board(info: Info, board_id: UUID) -> Board:
    return Board.from_contract(await info.context.services.boards.get(board_id))


@strawberry.type
class MemberQueries:
    @strawberry.field(description="Invitations to a board (admins and the owner).")
    async def board_invitations(self, info: Info, board_id: UUID) -> list[BoardInvitationFields]:
        rows = await info.context.services.members.invitations(board_id)
        return [BoardInvitationFields.from_contract(row) for row in rows]


@strawberry.type
class MemberMutations:
    @strawberry.mutation(description="Add a user of the tenant to a board (admins and the owner).")
    async def add_board_member(
        self,
        info: Info,
        input: AddBoardMemberInput | None = None,
        board_id: UUID | None = None,
        user_id: UUID | None = None,
        role: BoardRole | None = None,
    ) -> Board:
        """`input` as in Boards; the older clients' flat arguments (boardId, userId, role) also work."""
        if input is None:
            if board_id is None or user_id is None:
                raise Invalid("give input, or boardId and userId", details={"field": "input"})
            input = AddBoardMemberInput(board_id=board_id, user_id=user_id, role=role or BoardRole.VIEWER)
        await info.context.services.members.add(input.board_id, input.to_contract())
        return await _board(info, input.board_id)

    @strawberry.mutation(description="Remove a member (admins and the owner), or leave a board yourself.")
    async def remove_board_member(self, info: Info, board_id: UUID, user_id: UUID) -> Board:
        """Board! as in Boards: read before the removal, since a caller who leaves a private board can no
        longer read it afterwards (then the board as it was is returned)."""
        before = await _board(info, board_id)
        await info.context.services.members.remove(board_id, user_id)
        try:
            return await _board(info, board_id)
        except NotFound:
            return before

    @strawberry.mutation(description="Change a member's role (admins and the owner).")
    async def update_board_member_role(
        self, info: Info, board_id: UUID, user_id: UUID, role: BoardRole
    ) -> Board:
        await info.context.services.members.set_role(board_id, user_id, contracts.BoardRole(role.value))
        return await _board(info, board_id)

    @strawberry.mutation(description="Join a board with the token from an invitation link.")
    async def accept_invitation(self, info: Info, input: AcceptInvitationInput) -> Board:
        member = await info.context.services.members.accept_invitation(input.to_contract())
        return await _board(info, member.board_id)

    @strawberry.mutation(
        description="Invite someone by e-mail (the link is mailed); they join by opening it, or once their "
        "verified address matches."
    )
    async def invite_board_member(self, info: Info, input: InviteBoardMemberInput) -> BoardInvitationFields:
        invitation = await info.context.services.members.invite(input.board_id, input.to_contract())
        return BoardInvitationFields.from_contract(invitation)

    @strawberry.mutation(description="Withdraw a pending invitation (admins and the owner).")
    async def revoke_board_invitation(
        self, info: Info, board_id: UUID, invitation_id: UUID
    ) -> BoardInvitationFields:
        revoked = await info.context.services.members.revoke_invitation(board_id, invitation_id)
        return BoardInvitationFields.from_contract(revoked)
