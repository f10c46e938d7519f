"""What the users use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from app.contracts import Tenant, User


class UserStore(Protocol):
    async def get(self, user_id: UUID) -> User | None: ...

    async def get_many(self, user_ids: Sequence[UUID]) -> Sequence[User]: ...

    async def search(
        self, query: str, *, limit: int, offset: int, count_up_to: int | None = None
    ) -> tuple[Sequence[User], int]:
        """Users whose display name contains the text, or whose e-mail address IS the text (an address
        finds its owner; a fragment of one finds nobody, so addresses cannot be harvested). The total counts
        up to `count_up_to` matches (a lower bound when it reaches it); without it, offset + rows."""
        ...

    async def tenant(self) -> Tenant: ...

    async def update_tenant(self, changes: dict[str, Any]) -> Tenant: ...
