"""Board members and invitations of one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert

from app.contracts import BoardInvitation, BoardMember, BoardRole, User
from app.db.models import BoardInvitation as InvitationModel
from app.db.models import BoardMember as MemberModel
from app.db.models import User as UserModel
from app.db.raw import Prepared, among
from app.db.stores._rows import mapper_for
from app.db.stores._scoped import columns_for, prefixed, row_to, table_of
from app.db.stores.boards import SqlBoardStore
from app.db.stores.users import USER_COLUMNS

members = table_of(MemberModel)
invitations = table_of(InvitationModel)
users = table_of(UserModel)
MEMBER_COLUMNS = columns_for(members, BoardMember)
INVITATION_COLUMNS = columns_for(invitations, BoardInvitation)


# Built once (the DataLoader's statement behind Board.members).
_MEMBERS_OF_BOARDS = Prepared(
    "members.of_boards",
    select(*MEMBER_COLUMNS)
    .where(members.c.tenant_id == bindparam("tenant"), among(members.c.board_id, "board_ids"))
    .order_by(members.c.joined_at, members.c.id),
)
_USER = "_user_"

# The same members with their users, joined (GraphQL's Board.members { user } then needs no second read).
_MEMBERS_WITH_USERS = Prepared(
    "members.with_users_of_boards",
    select(*MEMBER_COLUMNS, *prefixed(USER_COLUMNS, _USER))
    .join_from(members, users, users.c.id == members.c.user_id)
    .where(members.c.tenant_id == bindparam("tenant"), among(members.c.board_id, "board_ids"))
    .order_by(members.c.joined_at, members.c.id),
)
_MEMBERS = mapper_for(BoardMember)
_USERS = mapper_for(User, _USER)


class SqlMemberStore(SqlBoardStore):
    """Implements app.domain.members.MemberStore (relation() comes from the board store)."""

    async def user_exists(self, user_id: UUID) -> bool:
        stmt = select(exists().where(self.scope(users), users.c.id == user_id))
        return bool((await self.session.execute(stmt)).scalar())

    async def user_id_by_email(self, email: str) -> UUID | None:
        """The user whose VERIFIED address this is (an unverified claim to an address joins nothing)."""
        stmt = (
            select(users.c.id)
            .where(self.scope(users), users.c.email == email, users.c.email_verified_at.is_not(None))
            .limit(1)
        )
        found: UUID | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return found

    async def members(self, board_ids: Sequence[UUID]) -> Sequence[BoardMember]:
        params = {"tenant": self.tenant_id, "board_ids": list(board_ids)}
        found = await _MEMBERS_OF_BOARDS.fetch(self.session, params)
        return list(map(_MEMBERS.over(found.keys), found))

    async def members_with_users(self, board_ids: Sequence[UUID]) -> list[tuple[BoardMember, User]]:
        params = {"tenant": self.tenant_id, "board_ids": list(board_ids)}
        found = await _MEMBERS_WITH_USERS.fetch(self.session, params)
        member, user = _MEMBERS.over(found.keys), _USERS.over(found.keys)
        return [(member(row), user(row)) for row in found]

    async def upsert_member(
        self, *, board_id: UUID, user_id: UUID, role: BoardRole, invited_by: UUID | None
    ) -> BoardMember:
        values = self.stamp(
            {"board_id": board_id, "user_id": user_id, "role": role.value, "invited_by": invited_by}
        )
        stmt = (
            insert(members)
            .values(values)
            .on_conflict_do_update(
                index_elements=[members.c.board_id, members.c.user_id],
                set_={"role": role.value, "updated_at": func.now()},
            )
            .returning(*MEMBER_COLUMNS)
        )
        return row_to(BoardMember, (await self.session.execute(stmt)).one())

    async def set_role(self, *, board_id: UUID, user_id: UUID, role: BoardRole) -> BoardMember | None:
        stmt = (
            update(members)
            .where(self.scope(members), members.c.board_id == board_id, members.c.user_id == user_id)
            .values(role=role.value, updated_at=func.now())
            .returning(*MEMBER_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(BoardMember, row)

    async def remove_member(self, *, board_id: UUID, user_id: UUID) -> bool:
        stmt = delete(members).where(
            self.scope(members), members.c.board_id == board_id, members.c.user_id == user_id
        )
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))

    async def create_invitation(
        self,
        *,
        board_id: UUID,
        email: str,
        role: BoardRole,
        invited_by: UUID,
        expires_at: datetime,
        token_hash: str,
    ) -> BoardInvitation:
        # One pending invitation per (board, e-mail): a new invitation replaces the old one's role and expiry.
        existing = (
            update(invitations)
            .where(
                self.scope(invitations),
                invitations.c.board_id == board_id,
                invitations.c.email == email,
                invitations.c.status == "pending",
            )
            .values(
                role=role.value,
                expires_at=expires_at,
                invited_by=invited_by,
                token_hash=token_hash,
                updated_at=func.now(),
            )
            .returning(*INVITATION_COLUMNS)
        )
        row = (await self.session.execute(existing)).one_or_none()
        if row is None:
            values = self.stamp(
                {"board_id": board_id, "email": email, "role": role.value, "invited_by": invited_by,
                 "expires_at": expires_at, "token_hash": token_hash}
            )  # fmt: skip
            row = (
                await self.session.execute(insert(invitations).values(values).returning(*INVITATION_COLUMNS))
            ).one()
        return row_to(BoardInvitation, row)

    async def revoke_invitation(self, board_id: UUID, invitation_id: UUID) -> BoardInvitation | None:
        stmt = (
            update(invitations)
            .where(
                self.scope(invitations),
                invitations.c.board_id == board_id,
                invitations.c.id == invitation_id,
                invitations.c.status == "pending",
            )
            .values(status="revoked", updated_at=func.now())
            .returning(*INVITATION_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(BoardInvitation, row)

    async def take_invitation(self, token_hash: str, user_id: UUID) -> BoardInvitation | None:
        """Mark the pending, unexpired invitation with this token accepted by the user, atomically."""
        stmt = (
            update(invitations)
            .where(
                self.scope(invitations),
                invitations.c.token_hash == token_hash,
                invitations.c.status == "pending",
                invitations.c.expires_at > func.now(),
            )
            .values(status="accepted", accepted_by=user_id, accepted_at=func.now(), updated_at=func.now())
            .returning(*INVITATION_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else row_to(BoardInvitation, row)

    async def verify_address(self, user_id: UUID, email: str) -> None:
        """The user opened a link mailed to `email`: if that is their address, it is verified."""
        await self.session.execute(
            update(users)
            .where(
                self.scope(users),
                users.c.id == user_id,
                users.c.email == email,
                users.c.email_verified_at.is_(None),
            )
            .values(email_verified_at=func.now())
        )

    async def invitations(self, board_id: UUID) -> Sequence[BoardInvitation]:
        stmt = (
            select(*INVITATION_COLUMNS)
            .where(self.scope(invitations), invitations.c.board_id == board_id)
            .order_by(invitations.c.created_at.desc())
        )
        return [row_to(BoardInvitation, row) for row in (await self.session.execute(stmt)).all()]
