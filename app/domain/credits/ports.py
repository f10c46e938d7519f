"""What the credits use cases need from storage and the outside world: Protocols the adapters implement
(built by app.wiring, each bound to one tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from app.contracts import CreditEntry


class CreditStore(Protocol):
    async def balance(self, user_id: UUID, *, lock: bool = False) -> Decimal: ...

    async def reserve(self, user_id: UUID, generation_id: UUID, amount: Decimal) -> None: ...

    async def refund(self, generation_id: UUID, reason: str) -> None: ...

    async def history(self, user_id: UUID, *, limit: int, offset: int) -> Sequence[CreditEntry]: ...
