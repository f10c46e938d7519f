"""Member use cases. Managing members needs MANAGE access (board admin or owner); leaving needs only READ."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from app.contracts import (
    AcceptInvitationInput,
    BoardInvitation,
    BoardInvitationCreate,
    BoardMember,
    BoardMemberCreate,
    BoardRole,
)
from app.domain.accounts import mail
from app.domain.accounts.ports import Outbox
from app.domain.accounts.service import normalize_email, token_hash
from app.domain.actor import Actor
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.members.ports import MemberStore
from app.domain.policy import Access, BoardRelation, require, require_user

INVITATION_TTL = timedelta(days=14)


class MemberService:
    def __init__(
        self, store: MemberStore, actor: Actor, *, outbox: Outbox | None = None, link_base: str = ""
    ) -> None:
        self._store = store
        self._actor = actor
        self._outbox = outbox
        self._link_base = link_base

    async def _board(self, board_id: UUID, needed: Access) -> BoardRelation:
        return require(self._actor, await self._store.relation(board_id, self._actor.user_id), needed)

    async def list(self, board_id: UUID) -> Sequence[BoardMember]:
        await self._board(board_id, Access.READ)
        return await self._store.members([board_id])

    async def add(self, board_id: UUID, command: BoardMemberCreate) -> BoardMember:
        board = await self._board(board_id, Access.MANAGE)
        if command.user_id == board.owner_id:
            raise Conflict("the owner is not a member; they already own the board")
        if not await self._store.user_exists(command.user_id):
            raise NotFound("user not found")
        return await self._store.upsert_member(
            board_id=board_id, user_id=command.user_id, role=command.role, invited_by=self._actor.user_id
        )

    async def set_role(self, board_id: UUID, user_id: UUID, role: BoardRole) -> BoardMember:
        await self._board(board_id, Access.MANAGE)
        member = await self._store.set_role(board_id=board_id, user_id=user_id, role=role)
        if member is None:
            raise NotFound("this user is not a member of the board")
        return member

    async def remove(self, board_id: UUID, user_id: UUID) -> bool:
        leaving = user_id == self._actor.user_id
        await self._board(board_id, Access.READ if leaving else Access.MANAGE)
        if not await self._store.remove_member(board_id=board_id, user_id=user_id):
            raise NotFound("this user is not a member of the board")
        return True

    async def invite(self, board_id: UUID, command: BoardInvitationCreate) -> BoardInvitation:
        """Invite by e-mail; the invitation link is mailed. A user of the tenant whose VERIFIED address it is
        becomes a member at once; anyone else joins by opening the link, or on verifying that address."""
        board = await self._board(board_id, Access.MANAGE)
        inviter = require_user(self._actor)
        email = normalize_email(command.email)
        secret = secrets.token_urlsafe(32)
        invitation = await self._store.create_invitation(
            board_id=board_id, email=email, role=command.role, invited_by=inviter,
            expires_at=datetime.now(UTC) + INVITATION_TTL, token_hash=token_hash(secret),
        )  # fmt: skip
        existing = await self._store.user_id_by_email(email)
        if existing is not None and existing != board.owner_id:
            await self._store.upsert_member(
                board_id=board_id, user_id=existing, role=command.role, invited_by=inviter
            )
        if self._outbox is not None and invitation.status == "pending":
            letter = mail.invitation(self._link_base, secret, role=command.role.value)
            await self._outbox.send(to=email, subject=letter.subject, body=letter.body)
        return invitation

    async def accept_invitation(self, command: AcceptInvitationInput) -> BoardMember:
        """Join with an invitation link: holding the mailed secret proves receipt of the mail, so the
        signed-in caller joins whatever their own address, and an address equal to the invited one is
        verified by it."""
        user_id = require_user(self._actor)
        invitation = await self._store.take_invitation(token_hash(command.token), user_id)
        if invitation is None:
            raise Invalid(
                "this invitation link is invalid, expired or already used", details={"field": "token"}
            )
        await self._store.verify_address(user_id, invitation.email)
        return await self._store.upsert_member(
            board_id=invitation.board_id,
            user_id=user_id,
            role=invitation.role,
            invited_by=invitation.invited_by,
        )

    async def invitations(self, board_id: UUID) -> Sequence[BoardInvitation]:
        await self._board(board_id, Access.MANAGE)
        return await self._store.invitations(board_id)

    async def revoke_invitation(self, board_id: UUID, invitation_id: UUID) -> BoardInvitation:
        """Withdraw a pending invitation: signing up with that address no longer joins the board."""
        await self._board(board_id, Access.MANAGE)
        revoked = await self._store.revoke_invitation(board_id, invitation_id)
        if revoked is None:
            raise NotFound("no pending invitation with this id on the board")
        return revoked
