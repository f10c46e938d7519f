"""Authentication: credentials + tenant → Actor, once per request, for REST, GraphQL and websockets alike.

One Authenticator lives for the process (built in create_app): it holds the JWT verifier (and so the JWKS
cache) and small caches of tenants (with their disabled state) and provisioned users, so a request with a
valid token costs no database round trip after the first. An admin's change to a tenant or user reaches
every process's caches at once through Redis pub/sub (app.auth.identity_changes); the TTL only bounds what
a lost message could leave stale.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.bootstrap import LOCAL_PROVIDER, LOCAL_SUBJECT
from app.auth.identity_changes import CHANNEL, parse
from app.auth.revocations import Revocations
from app.auth.tokens import InvalidToken, JwtVerifier, LocalClaims, LocalTokenIssuer, VerifiedIdentity
from app.db.stores.tenancy import SqlTenancyStore, TenantState
from app.domain.accounts.api_keys import API_KEY_PREFIX
from app.domain.accounts.service import ACCOUNT_DISABLED, token_hash
from app.domain.actor import Actor
from app.domain.errors import Forbidden, TenantDisabled, Unauthenticated, UnknownTenant
from app.platform.logging import get_logger
from app.platform.pubsub import Follower, PubSubHub
from app.settings import Settings

log = get_logger("atelier.auth")

SessionMaker = Callable[[], AsyncSession]
_TTL_S = 60.0
_MAX_CACHED = 10_000


class _TtlCache:
    """A tiny bounded TTL map (values are immutable lookups that may be briefly stale)."""

    def __init__(self, ttl: float = _TTL_S, size: int = _MAX_CACHED) -> None:
        self._ttl, self._size = ttl, size
        self._items: dict[Any, tuple[float, Any]] = {}

    def get(self, key: Any) -> Any:
        hit = self._items.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, key: Any, value: Any) -> None:
        if len(self._items) >= self._size:
            self._items.clear()  # crude but bounded; refills from the database in one request each
        self._items[key] = (time.monotonic() + self._ttl, value)

    def drop(self, stale: Callable[[Any], bool]) -> None:
        for key in [key for key, (_, value) in self._items.items() if stale(value)]:
            self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()


class Authenticator:
    def __init__(
        self, settings: Settings, *, verifier: JwtVerifier | None, issuer: LocalTokenIssuer | None
    ) -> None:
        self.settings = settings
        self.verifier = verifier
        self.issuer = issuer
        self.revocations: Revocations | None = None  # set by create_app: ended sessions (no DB read)
        self._tenants = _TtlCache()  # ("slug", slug) | ("id", tenant id) -> TenantState
        self._users = _TtlCache()
        self._epoch = 0  # bumped by every forget(): a lookup that straddles one does not cache its answer
        self._follower = Follower(CHANNEL, self._announced, self._missed)

    def forget(self, kind: str, ident: UUID | None = None) -> None:
        """Drop what is cached about a changed tenant or user (everything for any other kind)."""
        self._epoch += 1
        if kind == "tenant":
            self._tenants.drop(lambda state: state.tenant_id == ident)
        elif kind == "user":
            self._users.drop(lambda cached: cached.user_id == ident)
        else:
            self._tenants.clear()
            self._users.clear()

    def _announced(self, data: dict[str, Any]) -> None:
        if (change := parse(data)) is not None:
            self.forget(*change)

    async def _missed(self) -> None:
        self.forget("all")  # messages may have been missed: forget everything

    async def start(self, hub: PubSubHub) -> None:
        """Follow other processes' identity changes through the process's pub/sub hub."""
        await self._follower.start(hub)

    async def stop(self) -> None:
        await self._follower.stop()

    async def aclose(self) -> None:
        if self.verifier is not None:
            await self.verifier.aclose()

    async def authenticate(
        self, connection: ASGIConnection[Any, Any, Any, Any], sessions: SessionMaker
    ) -> Actor:
        return await self.authenticate_token(_credentials(connection), connection, sessions)

    async def authenticate_token(
        self, token: str | None, connection: ASGIConnection[Any, Any, Any, Any], sessions: SessionMaker
    ) -> Actor:
        """The Actor for `token` on this connection (its tenant header): also for a token that arrives
        after the handshake, in a graphql-ws connection_init payload."""
        if self.settings.auth == "none":
            return await self._developer(sessions)
        requested = (
            connection.headers.get(self.settings.tenant_header)
            if self.settings.tenant_mode != "single"
            else None
        )
        if token is None:
            tenant_id = await self._tenant(sessions, requested or self.settings.default_tenant_slug)
            return Actor(tenant_id=tenant_id, public_reads=self.settings.allow_anonymous_reads)
        if token.startswith(API_KEY_PREFIX):
            return await self._api_key(sessions, token, requested)
        if self.issuer is not None:
            # Without an external verifier every token must be ours; with one, try_ tells ours (by alg, typ
            # and iss) from the provider's: an Auth0 access token is also `typ: at+jwt`.
            local = (
                self.issuer.verify_access(token)
                if self.verifier is None
                else self.issuer.try_verify_access(token)
            )
            if local is not None:  # ours (alg, typ and iss match): valid, or InvalidToken was raised
                return await self._local(sessions, local, requested)
        if self.verifier is None:
            raise InvalidToken("not issued by this server")
        return await self._external(sessions, await self.verifier.verify(token), requested)

    async def _tenant(self, sessions: SessionMaker, slug: str) -> UUID:
        return await self._tenant_state(sessions, ("slug", slug))

    async def _tenant_state(self, sessions: SessionMaker, key: tuple[str, Any]) -> UUID:
        """The tenant's id; UnknownTenant, or TenantDisabled (403) while an instance admin disabled it."""
        state: TenantState | None = self._tenants.get(key)
        if state is None:
            epoch = self._epoch
            async with sessions() as session:
                store = SqlTenancyStore(session)
                found = await (
                    store.tenant_state(slug=key[1])
                    if key[0] == "slug"
                    else store.tenant_state(tenant_id=key[1])
                )
            if found is None:
                raise UnknownTenant(f"unknown tenant {key[1]!r}")
            state = found
            if epoch == self._epoch:
                self._tenants.put(key, state)
        if state.disabled:
            raise TenantDisabled()
        return state.tenant_id

    async def _local(self, sessions: SessionMaker, claims: LocalClaims, requested: str | None) -> Actor:
        if self.settings.tenant_mode == "claim":
            await self._tenant_state(sessions, ("id", claims.tenant_id))
        elif claims.tenant_id != await self._tenant(sessions, self._slug(requested, None)):
            raise Unauthenticated("invalid token: issued for another tenant")
        if self.revocations is not None and self.revocations.is_ended(claims.session_id):
            raise Unauthenticated("this session has ended; sign in again")
        return Actor(
            tenant_id=claims.tenant_id, user_id=claims.user_id, is_admin=claims.is_admin, email=claims.email
        )

    async def _external(
        self, sessions: SessionMaker, identity: VerifiedIdentity, requested: str | None
    ) -> Actor:
        tenant_id = await self._tenant(sessions, self._slug(requested, identity.tenant))
        key = (tenant_id, identity.provider, identity.subject)
        cached = self._users.get(key)
        if cached is None:
            epoch = self._epoch
            async with sessions() as session:
                store = SqlTenancyStore(session)
                cached = await store.provision(
                    tenant_id, auth_provider=identity.provider, auth_subject=identity.subject,
                    email=identity.email, display_name=identity.display_name, avatar_url=identity.avatar_url,
                    email_verified=identity.claims.get("email_verified") is True,
                )  # fmt: skip
                if cached.created and cached.email and identity.claims.get("email_verified") is True:
                    # Only a verified address may claim an invitation (some providers let users type any).
                    from app.db.stores.accounts import SqlAccountStore

                    await SqlAccountStore(session, tenant_id).accept_invitations(
                        user_id=cached.user_id, email=cached.email
                    )
                await session.commit()
            if epoch == self._epoch:
                self._users.put(key, cached)
        if cached.disabled:
            raise Forbidden(ACCOUNT_DISABLED, details={"reason": "ACCOUNT_DISABLED"})
        return Actor(
            tenant_id=tenant_id,
            user_id=cached.user_id,
            is_admin=cached.is_admin or identity.is_admin,
            email=cached.email,
        )

    async def _api_key(self, sessions: SessionMaker, secret: str, requested: str | None) -> Actor:
        async with sessions() as session:
            owner = await SqlTenancyStore(session).api_key_owner(token_hash(secret), now=datetime.now(UTC))
            await session.commit()
        if owner is None:
            raise Unauthenticated("invalid API key (unknown, revoked or expired)")
        if owner.tenant_disabled:
            raise TenantDisabled()
        if requested is not None and await self._tenant(sessions, requested) != owner.tenant_id:
            raise Unauthenticated("this API key belongs to another tenant")
        return Actor(
            tenant_id=owner.tenant_id, user_id=owner.user_id, is_admin=owner.is_admin, email=owner.email
        )

    async def _developer(self, sessions: SessionMaker) -> Actor:
        tenant_id = await self._tenant(sessions, self.settings.default_tenant_slug)  # refused while disabled
        cached = self._users.get("developer")
        if cached is None:
            async with sessions() as session:
                user_id = await SqlTenancyStore(session).provision_user(
                    tenant_id, auth_provider=LOCAL_PROVIDER, auth_subject=LOCAL_SUBJECT,
                    email="developer@localhost", display_name="Local developer",
                )  # fmt: skip
                await session.commit()
            cached = Actor(tenant_id=tenant_id, user_id=user_id, is_admin=True, email="developer@localhost")
            self._users.put("developer", cached)
        return cached  # type: ignore[no-any-return]

    def _slug(self, requested: str | None, claimed: str | None) -> str:
        """The tenant a request is for: the token's claim (claim mode), else the header, else the default."""
        if self.settings.tenant_mode == "claim" and claimed:
            if requested and requested != claimed:
                raise Unauthenticated("the token's tenant does not match the requested tenant")
            return claimed
        return requested or self.settings.default_tenant_slug


def token_from_init_payload(payload: object) -> str | None:
    """graphql-ws clients put credentials in connection_init: {"authorization": "Bearer …"} (as a header
    would read) or {"token": "…"}; keys in any case."""
    if not isinstance(payload, dict):
        return None
    fields = {str(key).lower(): value for key, value in payload.items()}
    header = fields.get("authorization")
    if isinstance(header, str) and header.strip():
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("use `Bearer <token>` in connection_init's authorization")
        return value.strip()
    token = fields.get("token")
    return token.strip() if isinstance(token, str) and token.strip() else None


def _credentials(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """A bearer token or API key from `Authorization: Bearer …`, `X-API-Key`, or (websockets) `?token=`."""
    header = connection.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("use `Authorization: Bearer <token>`")
        return value.strip()
    api_key = connection.headers.get("x-api-key")
    if api_key:
        return api_key.strip()
    if str(connection.scope["type"]) == "websocket":
        return connection.query_params.get("token")
    return None
