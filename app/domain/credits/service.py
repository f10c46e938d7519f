"""Credit use cases. The balance is the sum of the user's ledger; reserving locks the user's row first, so two
concurrent creations cannot both spend the last credit."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from app.contracts import CreditBalance, CreditEntry
from app.domain.actor import Actor
from app.domain.credits.ports import CreditStore
from app.domain.errors import Invalid
from app.domain.paging import check_page
from app.domain.policy import require_user


class InsufficientCredits(Invalid):
    """The run would cost more than the caller has (REST answers 402)."""


class CreditService:
    def __init__(self, store: CreditStore, actor: Actor, *, enabled: bool) -> None:
        self._store = store
        self._actor = actor
        self.enabled = enabled

    async def check(self, cost: Decimal) -> None:
        """Before creating a generation: refuse when the balance cannot cover the cost (locks the user row)."""
        if not self.enabled or cost <= 0:
            return
        user_id = require_user(self._actor)
        balance = await self._store.balance(user_id, lock=True)
        if balance < cost:
            raise InsufficientCredits(
                f"this run costs {cost} credits; your balance is {balance}",
                details={"cost": float(cost), "balance": float(balance)},
            )

    async def reserve(self, generation_id: UUID, cost: Decimal) -> None:
        if self.enabled and cost > 0:
            await self._store.reserve(require_user(self._actor), generation_id, cost)

    async def refund(self, generation_id: UUID, reason: str) -> None:
        if self.enabled:
            await self._store.refund(generation_id, reason)

    async def balance(self) -> CreditBalance:
        user_id = require_user(self._actor)
        return CreditBalance(enabled=self.enabled, balance=float(await self._store.balance(user_id)))

    async def history(self, *, limit: int = 50, offset: int = 0) -> list[CreditEntry]:
        check_page(limit, offset)
        return list(await self._store.history(require_user(self._actor), limit=limit, offset=offset))
