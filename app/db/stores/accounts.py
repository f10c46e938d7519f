"""Local accounts, refresh tokens, API keys and invitation acceptance, scoped to one tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.contracts import ApiKey, User
from app.db.models import ApiKey as ApiKeyModel
from app.db.models import BoardInvitation, BoardMember, EmailToken, RefreshToken
from app.db.models import Tenant as TenantModel
from app.db.models import User as UserModel
from app.db.stores._scoped import TenantScoped, columns_for, row_to, table_of
from app.domain.accounts import EmailTokenRecord, RefreshRecord, UserRecord

users = table_of(UserModel)
tenants = table_of(TenantModel)
refresh_tokens = table_of(RefreshToken)
api_keys = table_of(ApiKeyModel)
invitations = table_of(BoardInvitation)
members = table_of(BoardMember)
email_tokens = table_of(EmailToken)
USER_COLUMNS = columns_for(users, User)
API_KEY_COLUMNS = columns_for(api_keys, ApiKey)
LOCAL = "local"


class SqlEmailTokens(TenantScoped):
    """Mailed single-use secrets and address verification (part of SqlAccountStore)."""

    async def insert_email_token(
        self, *, user_id: UUID, purpose: str, email: str, token_hash: str, expires_at: datetime
    ) -> None:
        t = email_tokens
        await self.session.execute(
            update(t)
            .where(self.scope(t), t.c.user_id == user_id, t.c.purpose == purpose, t.c.used_at.is_(None))
            .values(used_at=func.now())
        )
        values = self.stamp(
            {"user_id": user_id, "purpose": purpose, "email": email, "token_hash": token_hash,
             "expires_at": expires_at}
        )  # fmt: skip
        await self.session.execute(insert(t).values(values))

    async def use_email_token(self, *, purpose: str, token_hash: str) -> EmailTokenRecord | None:
        t = email_tokens
        stmt = (
            update(t)
            .where(
                self.scope(t), t.c.token_hash == token_hash, t.c.purpose == purpose,
                t.c.used_at.is_(None), t.c.expires_at > func.now(),
            )
            .values(used_at=func.now())
            .returning(t.c.user_id, t.c.email)
        )  # fmt: skip
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else EmailTokenRecord(user_id=row.user_id, email=str(row.email))

    async def mark_email_verified(self, *, user_id: UUID, email: str) -> bool:
        stmt = (
            update(users)
            .where(self.scope(users), users.c.id == user_id, users.c.email == email)
            .values(email_verified_at=func.coalesce(users.c.email_verified_at, func.now()))
        )
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))


class SqlAccountStore(SqlEmailTokens):
    """Implements app.domain.accounts.AccountStore."""

    async def signup_setting(self) -> str | None:
        stmt = select(tenants.c.settings["signup"].astext).where(tenants.c.id == self.tenant_id)
        found = (await self.session.execute(stmt)).scalar_one_or_none()
        return str(found) if found is not None else None

    async def has_local_users(self) -> bool:
        stmt = select(users.c.id).where(self.scope(users), users.c.auth_provider == LOCAL).limit(1)
        return (await self.session.execute(stmt)).first() is not None

    async def has_pending_invitation(self, email: str) -> bool:
        stmt = (
            select(invitations.c.id)
            .where(
                self.scope(invitations), invitations.c.email == email, invitations.c.status == "pending",
                invitations.c.expires_at > func.now(),
            )
            .limit(1)
        )  # fmt: skip
        return (await self.session.execute(stmt)).first() is not None

    async def _record(self, *conditions: ColumnElement[bool]) -> UserRecord | None:
        stmt = select(*USER_COLUMNS, users.c.password_hash, users.c.is_admin, users.c.disabled_at).where(
            self.scope(users), *conditions
        )
        row = (await self.session.execute(stmt)).one_or_none()
        if row is None:
            return None
        return UserRecord(
            user=row_to(User, row), password_hash=row.password_hash, is_admin=row.is_admin,
            disabled=row.disabled_at is not None,
        )  # fmt: skip

    async def local_user_by_email(self, email: str) -> UserRecord | None:
        return await self._record(users.c.auth_provider == LOCAL, users.c.auth_subject == email)

    async def user_record(self, user_id: UUID) -> UserRecord | None:
        return await self._record(users.c.id == user_id)

    async def create_local_user(self, *, email: str, display_name: str | None, password_hash: str) -> User:
        values = self.stamp(
            {"auth_provider": LOCAL, "auth_subject": email, "email": email,
             "display_name": display_name or email.split("@", maxsplit=1)[0], "password_hash": password_hash}
        )  # fmt: skip
        stmt = insert(users).values(values).returning(*USER_COLUMNS)
        return row_to(User, (await self.session.execute(stmt)).one())

    async def set_password_hash(self, user_id: UUID, password_hash: str) -> None:
        stmt = (
            update(users)
            .where(self.scope(users), users.c.id == user_id)
            .values(password_hash=password_hash, updated_at=func.now())
        )
        await self.session.execute(stmt)

    async def insert_refresh_token(
        self, *, user_id: UUID, token_hash: str, family_id: UUID, expires_at: datetime, user_agent: str | None
    ) -> UUID:
        values = self.stamp(
            {"user_id": user_id, "token_hash": token_hash, "family_id": family_id,
             "expires_at": expires_at, "user_agent": user_agent}
        )  # fmt: skip
        token_id: UUID = (
            await self.session.execute(insert(refresh_tokens).values(values).returning(refresh_tokens.c.id))
        ).scalar_one()
        return token_id

    async def refresh_token(self, token_hash: str) -> RefreshRecord | None:
        t = refresh_tokens
        stmt = select(t.c.id, t.c.user_id, t.c.family_id, t.c.expires_at, t.c.revoked_at).where(
            self.scope(t), t.c.token_hash == token_hash
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else RefreshRecord(*row)

    async def revoke_refresh_token(self, token_id: UUID, *, replaced_by: UUID | None) -> None:
        t = refresh_tokens
        stmt = (
            update(t)
            .where(self.scope(t), t.c.id == token_id, t.c.revoked_at.is_(None))
            .values(revoked_at=func.now(), replaced_by=replaced_by)
        )
        await self.session.execute(stmt)

    async def revoke_refresh_family(self, family_id: UUID) -> None:
        t = refresh_tokens
        stmt = (
            update(t)
            .where(self.scope(t), t.c.family_id == family_id, t.c.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        await self.session.execute(stmt)

    async def revoke_user_refresh_tokens(self, user_id: UUID) -> list[UUID]:
        t = refresh_tokens
        stmt = (
            update(t)
            .where(self.scope(t), t.c.user_id == user_id, t.c.revoked_at.is_(None))
            .values(revoked_at=func.now())
            .returning(t.c.family_id)
        )
        return list({row.family_id for row in await self.session.execute(stmt)})

    async def accept_invitations(self, *, user_id: UUID, email: str) -> int:
        """Turn pending, unexpired invitations for `email` into memberships (idempotent)."""
        pending = and_(
            self.scope(invitations),
            invitations.c.email == email,
            invitations.c.status == "pending",
            invitations.c.expires_at > func.now(),
        )
        rows = (
            await self.session.execute(
                select(invitations.c.board_id, invitations.c.role, invitations.c.invited_by).where(pending)
            )
        ).all()
        for board_id, role, invited_by in rows:
            values = self.stamp(
                {"board_id": board_id, "user_id": user_id, "role": role, "invited_by": invited_by}
            )
            await self.session.execute(
                pg_insert(members)
                .values(values)
                .on_conflict_do_nothing(index_elements=[members.c.board_id, members.c.user_id])
            )
        if rows:
            await self.session.execute(
                update(invitations)
                .where(pending)
                .values(status="accepted", accepted_by=user_id, accepted_at=func.now(), updated_at=func.now())
            )
        return len(rows)


class SqlApiKeyStore(TenantScoped):
    """Implements app.domain.accounts.ApiKeyStore."""

    async def insert(
        self, *, user_id: UUID, name: str, prefix: str, key_hash: str, expires_at: datetime | None
    ) -> ApiKey:
        values = self.stamp(
            {
                "user_id": user_id,
                "name": name,
                "prefix": prefix,
                "key_hash": key_hash,
                "expires_at": expires_at,
            }
        )
        stmt = insert(api_keys).values(values).returning(*API_KEY_COLUMNS)
        return row_to(ApiKey, (await self.session.execute(stmt)).one())

    async def list_for_user(self, user_id: UUID) -> Sequence[ApiKey]:
        stmt = (
            select(*API_KEY_COLUMNS)
            .where(self.scope(api_keys), api_keys.c.user_id == user_id)
            .order_by(api_keys.c.created_at.desc())
        )
        return [row_to(ApiKey, row) for row in (await self.session.execute(stmt)).all()]

    async def revoke(self, *, user_id: UUID, key_id: UUID) -> bool:
        stmt = (
            update(api_keys)
            .where(self.scope(api_keys), api_keys.c.id == key_id, api_keys.c.user_id == user_id)
            .values(revoked_at=func.coalesce(api_keys.c.revoked_at, func.now()))
        )
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))
