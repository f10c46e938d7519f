"""`python -m app admin tenants|create-tenant|rename-tenant|disable-tenant|enable-tenant`: the instance's
tenants from the machine, through the same TenantAdminService as REST and GraphQL (audited as "cli").
A disable or enable is announced to every API process after it commits (app.auth.identity_changes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import click

from app.cli_admin import Operator, admin, operate, tenant_id_of

OPERATOR_TENANT = UUID(int=0)  # the operator acts from no tenant: audit entries go to the tenant concerned


def _run(use: Callable[[Any, Any], Awaitable[str]]) -> None:
    """Run `use(service, session)` on the operator's TenantAdminService (app.cli_admin.operate's one shape)."""

    async def on_tenants(op: Operator) -> str:
        from app.domain.actor import Actor
        from app.wiring import build_tenant_admin_service

        actor = Actor(tenant_id=OPERATOR_TENANT)
        service = build_tenant_admin_service(op.session, actor, operator=True, changes=op.changes())
        return await use(service, op.session)

    operate(on_tenants)


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

        renamed = await service.rename(await tenant_id_of(session, slug), TenantRename(name=name))
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
            tenant_id = await tenant_id_of(session, slug)
            await (service.disable if disable else service.enable)(tenant_id)
            return f"tenant {slug} {'disabled' if disable else 'enabled'}"

        _run(use)

    return command


disable_tenant = _state_command("disable-tenant", disable=True)
enable_tenant = _state_command("enable-tenant", disable=False)
