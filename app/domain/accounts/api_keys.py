"""API keys for scripts: owned by a user, stored hashed, shown once, revocable."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from uuid import UUID

from app.contracts import ApiKey, ApiKeyCreate, ApiKeyCreated
from app.domain.accounts.ports import ApiKeyStore
from app.domain.accounts.service import token_hash
from app.domain.actor import Actor
from app.domain.errors import NotFound
from app.domain.policy import require_user

API_KEY_PREFIX = "atl_"


def new_api_key() -> tuple[str, str]:
    """(secret, prefix): the prefix identifies the key in lists without revealing it."""
    prefix = API_KEY_PREFIX + secrets.token_hex(4)
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


class ApiKeyService:
    def __init__(self, store: ApiKeyStore, actor: Actor) -> None:
        self._store = store
        self._actor = actor

    async def create(self, command: ApiKeyCreate) -> ApiKeyCreated:
        user_id = require_user(self._actor)
        secret, prefix = new_api_key()
        key = await self._store.insert(
            user_id=user_id, name=command.name.strip(), prefix=prefix, key_hash=token_hash(secret),
            expires_at=command.expires_at,
        )  # fmt: skip
        return ApiKeyCreated(api_key=key, secret=secret)

    async def list_mine(self) -> Sequence[ApiKey]:
        return await self._store.list_for_user(require_user(self._actor))

    async def revoke(self, key_id: UUID) -> bool:
        if not await self._store.revoke(user_id=require_user(self._actor), key_id=key_id):
            raise NotFound("api key not found")
        return True
