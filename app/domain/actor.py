"""Who is calling: the value every use case receives instead of a request object."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated (or anonymous) caller, already bound to one tenant."""

    tenant_id: UUID
    user_id: UUID | None = None
    is_admin: bool = False
    email: str | None = None
    public_reads: bool = True  # may an anonymous caller read public boards (a deployment setting)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None
