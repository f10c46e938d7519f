"""Who administers the instance (every tenant at once): the ONE rule REST, GraphQL, the CLI and the job
dashboard share.

An instance admin is a signed-in tenant admin whose e-mail is in ATELIER_INSTANCE_ADMINS; with a single
tenant (ATELIER_TENANT_MODE=single, which `ATELIER_AUTH=none`'s developer runs in) the tenant's admins are
the instance's. Being an instance admin grants the instance operations only: the tenant APIs stay scoped to
the caller's own tenant (stores are built with the actor's tenant), so it never opens another tenant's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.actor import Actor
from app.domain.errors import Forbidden, Unauthenticated


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


@dataclass(frozen=True, slots=True)
class InstanceAdmins:
    emails: frozenset[str]
    single_tenant: bool

    @classmethod
    def of(cls, emails: Iterable[str], *, single_tenant: bool) -> InstanceAdmins:
        return cls(frozenset(normalise_email(e) for e in emails if normalise_email(e)), single_tenant)

    def allows(self, actor: Actor) -> bool:
        if actor.user_id is None or not actor.is_admin:
            return False
        return self.single_tenant or normalise_email(actor.email) in self.emails

    def require(self, actor: Actor) -> None:
        """401 for anonymous callers, 403 for everyone else who is not an instance admin."""
        if actor.user_id is None:
            raise Unauthenticated("sign in as an instance admin")
        if not self.allows(actor):
            raise Forbidden("instance admins only (ATELIER_INSTANCE_ADMINS)")


NOBODY = InstanceAdmins(frozenset(), single_tenant=False)  # where no rule was configured: the CLI alone
