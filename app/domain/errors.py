"""The only exceptions the domain raises. Each adapter has one table that translates them.

`code` is the machine-readable name GraphQL puts in `extensions.code` and REST in the problem body.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every expected failure of a use case."""

    code: ClassVar[str] = "INTERNAL"
    keep_changes: bool = False  # commit what the use case wrote before raising (security actions)

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, keep_changes: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.keep_changes = keep_changes


class Unauthenticated(DomainError):
    """The caller must sign in for this."""

    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    """The caller is known but lacks the permission."""

    code = "FORBIDDEN"


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""

    code = "NOT_FOUND"


class Conflict(DomainError):
    """The request contradicts the current state (duplicate, stale, already done)."""

    code = "CONFLICT"


class Invalid(DomainError):
    """The input is well-formed but not acceptable."""

    code = "BAD_USER_INPUT"


class UnknownTenant(Invalid):
    """The request names a tenant that does not exist (tenants are never created from request input)."""


class RateLimited(DomainError):
    """Too many requests; retry later."""

    code = "RATE_LIMITED"


class TenantDisabled(Forbidden):
    """An instance admin disabled the caller's tenant: every request of its users is refused (403,
    `reason` TENANT_DISABLED in the problem body and in GraphQL's extensions); its data is kept."""

    def __init__(self, message: str = "this tenant is disabled; ask the instance's operators") -> None:
        super().__init__(message, details={"reason": "TENANT_DISABLED"})
