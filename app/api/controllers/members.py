"""REST: /api/v1/boards/{board_id}/members and …/invitations."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.contracts import (
    AcceptInvitationInput,
    BoardInvitation,
    BoardInvitationCreate,
    BoardMember,
    BoardMemberCreate,
    BoardMemberUpdate,
)
from app.wiring import Services


class MemberController(Controller):
    path = "/api/v1/boards/{board_id:uuid}"
    tags = ["Members"]

    @get("/members", operation_id="ListBoardMembers", summary="Members of a board")
    async def list_members(
        self, services: NamedDependency[Services], board_id: FromPath[UUID]
    ) -> Sequence[BoardMember]:
        return await services.members.list(board_id)

    @post("/members", operation_id="AddBoardMember", summary="Add a user of the tenant (admins, owner)")
    async def add_member(
        self,
        services: NamedDependency[Services],
        board_id: FromPath[UUID],
        data: JSONBody[BoardMemberCreate],
    ) -> BoardMember:
        return await services.members.add(board_id, data)

    @patch("/members/{user_id:uuid}", operation_id="UpdateBoardMemberRole", summary="Change a member's role")
    async def update_member_role(
        self,
        services: NamedDependency[Services],
        board_id: FromPath[UUID],
        user_id: FromPath[UUID],
        data: JSONBody[BoardMemberUpdate],
    ) -> BoardMember:
        return await services.members.set_role(board_id, user_id, data.role)

    @delete(
        "/members/{user_id:uuid}",
        operation_id="RemoveBoardMember",
        summary="Remove a member (or leave)",
        status_code=204,
    )
    async def remove_member(
        self, services: NamedDependency[Services], board_id: FromPath[UUID], user_id: FromPath[UUID]
    ) -> Response[None]:
        await services.members.remove(board_id, user_id)
        return Response(None, status_code=204)

    @get(
        "/invitations", operation_id="ListBoardInvitations", summary="Invitations to a board (admins, owner)"
    )
    async def list_invitations(
        self, services: NamedDependency[Services], board_id: FromPath[UUID]
    ) -> Sequence[BoardInvitation]:
        return await services.members.invitations(board_id)

    @post("/invitations", operation_id="InviteBoardMember", summary="Invite by e-mail (admins, owner)")
    async def invite(
        self,
        services: NamedDependency[Services],
        board_id: FromPath[UUID],
        data: JSONBody[BoardInvitationCreate],
    ) -> BoardInvitation:
        return await services.members.invite(board_id, data)

    @delete(
        "/invitations/{invitation_id:uuid}",
        operation_id="RevokeBoardInvitation",
        summary="Withdraw a pending invitation (admins, owner)",
        status_code=200,
    )
    async def revoke_invitation(
        self, services: NamedDependency[Services], board_id: FromPath[UUID], invitation_id: FromPath[UUID]
    ) -> BoardInvitation:
        return await services.members.revoke_invitation(board_id, invitation_id)


class InvitationController(Controller):
    """The web app's /invitations/accept page posts the link's token here."""

    path = "/api/v1/invitations"
    tags = ["Members"]

    @post(
        "/accept",
        operation_id="AcceptInvitation",
        summary="Join a board with an invitation link's token",
        status_code=200,
    )
    async def accept_invitation(
        self, services: NamedDependency[Services], data: JSONBody[AcceptInvitationInput]
    ) -> BoardMember:
        return await services.members.accept_invitation(data)
