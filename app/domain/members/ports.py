"""What the members use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.contracts import BoardInvitation, BoardMember, BoardRole
from app.domain.policy import BoardRelation


class MemberStore(Protocol):
    """Members and invitations of one tenant (users outside it do not exist here)."""

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def user_exists(self, user_id: UUID) -> bool: ...

    async def user_id_by_email(self, email: str) -> UUID | None: ...

    async def members(self, board_ids: Sequence[UUID]) -> Sequence[BoardMember]: ...

    async def upsert_member(
        self, *, board_id: UUID, user_id: UUID, role: BoardRole, invited_by: UUID | None
    ) -> BoardMember: ...

    async def set_role(self, *, board_id: UUID, user_id: UUID, role: BoardRole) -> BoardMember | None: ...

    async def remove_member(self, *, board_id: UUID, user_id: UUID) -> bool: ...

    async def create_invitation(
        self,
        *,
        board_id: UUID,
        email: str,
        role: BoardRole,
        invited_by: UUID,
        expires_at: datetime,
        token_hash: str,
    ) -> BoardInvitation: ...

    async def invitations(self, board_id: UUID) -> Sequence[BoardInvitation]: ...

    async def take_invitation(self, token_hash: str, user_id: UUID) -> BoardInvitation | None: ...

    async def verify_address(self, user_id: UUID, email: str) -> None: ...

    async def revoke_invitation(self, board_id: UUID, invitation_id: UUID) -> BoardInvitation | None:
        """Mark a pending invitation revoked; None when there is no pending one with that id."""
        ...
