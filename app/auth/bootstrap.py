"""Start-up of authentication: find the default tenant and, in `none` mode, provision the local user."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.actor import Actor
from app.settings import Settings
from app.wiring import build_directory

LOCAL_PROVIDER = "none"
LOCAL_SUBJECT = "local-developer"


class TenantMissing(RuntimeError):
    """The configured tenant does not exist (migrations not applied, or a wrong slug)."""


async def bootstrap_actor(session_maker: Callable[[], AsyncSession], settings: Settings) -> Actor:
    """The actor every request gets in `none` mode (development only; settings refuse it in production)."""
    async with session_maker() as session:
        directory = build_directory(session)
        tenant_id = await directory.tenant_id_by_slug(settings.default_tenant_slug)
        if tenant_id is None:
            raise TenantMissing(
                f"tenant {settings.default_tenant_slug!r} not found: run `make migrate` (alembic upgrade head)"
            )
        user_id = await directory.provision_user(
            tenant_id,
            auth_provider=LOCAL_PROVIDER,
            auth_subject=LOCAL_SUBJECT,
            email="developer@localhost",
            display_name="Local developer",
        )
        await session.commit()
    return Actor(tenant_id=tenant_id, user_id=user_id, is_admin=True)
