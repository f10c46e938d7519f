"""`python -m app admin tenants|create-tenant|rename-tenant|disable-tenant|enable-tenant`: the instance's
tenants from the machine, through the same TenantAdminService as REST and GraphQL (audited as "cli").
A disable or enable is announced to every API process after it commits (app.auth.identity_changes)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import click

from app.cli_admin import _attached, _session, admin
from app.settings import Settings

Use = Callable[[Any, Any], Awaitable[str]]  # (service, session) -> what to print
OPERATOR_TENANT = UUID(int=0)  # the operator acts from no tenant: audit entries go to the tenant concerned


def _run(use: Use) -> None:
    """Run one use case on the operator's service, commit, announce, and print its summary."""

    async def run(settings: Settings) -> str:
        from redis.asyncio import Redis

        from app.auth.identity_changes import AfterCommitChanges, IdentityChanges
        from app.domain.actor import Actor
        from app.domain.errors import DomainError
        from app.wiring import build_tenant_admin_service

        redis = Redis.from_url(settings.require_redis_url())
        after: list[Callable[[], Awaitable[None]]] = []
        try:
            async with _session(settings) as session:
                changes = AfterCommitChanges(IdentityChanges(redis), after)
                service = build_tenant_admin_service(
                    session, Actor(tenant_id=OPERATOR_TENANT), operator=True, changes=changes
                )
                try:
                    summary = await use(service, session)
                except DomainError as error:
                    raise click.ClickException(error.message) from error
                await session.commit()
            for announce in after:
                await announce()
        finally:
            await redis.aclose()
        return summary

    click.echo(asyncio.run(run(_attached())))


async def _tenant_id(session: Any, slug: str) -> UUID:
    from app.db.stores.tenancy import SqlTenancyStore

    tenant_id = await SqlTenancyStore(session).tenant_id_by_slug(slug)
    if tenant_id is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant_id


@admin.command("tenants", help="Every tenant with its state, users and boards.")
def list_tenants() -> None:
    async def use(service: Any, _: Any) -> str:
        rows = []
        for offset in range(0, 10_000_000, 200):
            page = await service.tenants(limit=200, offset=offset)
            rows += [
                f"{t.id}  {t.slug:24}  {'disabled' if t.disabled_at else 'active':8}  "
                f"{t.user_count:>6} users  {t.board_count:>6} boards  {t.name}"
                for t in page
            ]
            if len(page) < 200:
                break
        return "\n".join(rows)

    _run(use)


@admin.command("create-tenant", help="Create a tenant: SLUG (a-z, 0-9, -) and a display NAME.")
@click.argument("slug")
@click.argument("name")
def create_tenant(slug: str, name: str) -> None:
    async def use(service: Any, _: Any) -> str:
        from app.contracts import TenantCreate

        created = await service.create(TenantCreate(slug=slug, name=name))
        return f"created tenant {created.slug} ({created.id})"

    _run(use)


@admin.command("rename-tenant", help="Give tenant SLUG a new display NAME (the slug stays).")
@click.argument("slug")
@click.argument("name")
def rename_tenant(slug: str, name: str) -> None:
    async def use(service: Any, session: Any) -> str:
        from app.contracts import TenantRename

        renamed = await service.rename(await _tenant_id(session, slug), TenantRename(name=name))
        return f"tenant {renamed.slug} is now {renamed.name!r}"

    _run(use)


def _state_command(name: str, disable: bool) -> Any:
    @admin.command(
        name,
        help="Disable tenant SLUG: its users' requests refused at once, no new generations, data kept."
        if disable
        else "Let tenant SLUG's users act again.",
    )
    @click.argument("slug")
    def command(slug: str) -> None:
        async def use(service: Any, session: Any) -> str:
            tenant_id = await _tenant_id(session, slug)
            await (service.disable if disable else service.enable)(tenant_id)
            return f"tenant {slug} {'disabled' if disable else 'enabled'}"

        _run(use)

    return command


disable_tenant = _state_command("disable-tenant", disable=True)
enable_tenant = _state_command("enable-tenant", disable=False)
