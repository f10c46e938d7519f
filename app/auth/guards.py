"""Route guards: admin-only surfaces (the SAQ job dashboard) check the actor the middleware resolved."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from app.domain.actor import Actor
from app.domain.tenants import InstanceAdmins


def require_tenant_admin(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """401 for anonymous callers, 403 for users who are not admins of their tenant."""
    actor = connection.scope.get("user")
    if not isinstance(actor, Actor) or actor.user_id is None:
        raise NotAuthorizedException("sign in as a tenant admin")
    if not actor.is_admin:
        raise PermissionDeniedException("tenant admins only")


def instance_admin_guard(*, single_tenant: bool, instance_admins: list[str]) -> Any:
    """Instance-wide surfaces (the job queues hold every tenant's jobs): the domain's instance-admin rule
    (app.domain.tenants.policy), the same the tenant administration APIs ask."""
    rule = InstanceAdmins.of(instance_admins, single_tenant=single_tenant)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: Any) -> None:
        require_tenant_admin(connection, handler)
        if not rule.allows(connection.scope["user"]):
            raise PermissionDeniedException("instance admins only (ATELIER_INSTANCE_ADMINS)")

    return guard
