"""`python -m app admin …` (operator commands on the machine, audited as "cli") and `python -m app seed`.

Both go through the same AdminService and generation runner the APIs and workers use.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import click

from app.settings import Settings, get_settings

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-password-1"  # noqa: S105  printed for a first look; a demo tenant is no place for secrets
DEMO_USERS = [("ada@demo.test", "Ada", True), ("grace@demo.test", "Grace", False)]
DEMO_BOARDS: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    ("Lighthouses", [
        ("local-image", {"prompt": "a lighthouse at dusk"}),
        ("local-image", {"prompt": "a lighthouse in fog, teal"}),
        ("local-text", {"prompt": "a short poem about a lighthouse keeper"}),
    ]),
    ("Sounds and motion", [
        ("local-audio", {"prompt": "waves on a pebble beach", "duration_seconds": 2}),
        ("local-video", {"prompt": "gulls circling", "duration_seconds": 1, "fps": 8}),
    ]),
]  # fmt: skip


@asynccontextmanager
async def _session(settings: Settings) -> AsyncIterator[Any]:
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(settings.require_database_url(), poolclass=NullPool)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            yield session
    finally:
        await engine.dispose()


async def _tenant_and_user(session: Any, slug: str, email: str) -> tuple[UUID, UUID]:
    from sqlalchemy import text

    row = (
        await session.execute(
            text("SELECT t.id, u.id FROM tenants t JOIN users u ON u.tenant_id = t.id "
                 "WHERE t.slug = :slug AND u.email = :email"),
            {"slug": slug, "email": email.strip().lower()},
        )
    ).first()  # fmt: skip
    if row is None:
        raise click.ClickException(f"no user {email!r} in tenant {slug!r}")
    return row[0], row[1]


def _attached() -> Settings:
    from app.platform.embedded_runtime import attach_embedded

    return attach_embedded(get_settings())


@dataclass(frozen=True)
class Operator:
    """What an operator command works with: the session of its one unit of work, Redis, and what runs once
    that unit commits (announcements to every API process)."""

    session: Any
    settings: Settings
    redis: Any
    after_commit: list[Callable[[], Awaitable[None]]]

    def changes(self) -> Any:
        """Identity changes (disabled tenants and users) announced after the commit (app.auth.identity_changes)."""
        from app.auth.identity_changes import AfterCommitChanges, IdentityChanges

        return AfterCommitChanges(IdentityChanges(self.redis), self.after_commit)


def operate(use: Callable[[Operator], Awaitable[str]]) -> None:
    """The one shape of an operator command: run `use` in one unit of work (a DomainError is the command's error
    and nothing is kept), commit, announce, and print what `use` returned."""

    async def run(settings: Settings) -> str:
        from redis.asyncio import Redis

        from app.domain.errors import DomainError

        redis = Redis.from_url(settings.require_redis_url())  # connects only when something is announced
        after: list[Callable[[], Awaitable[None]]] = []
        try:
            async with _session(settings) as session:
                try:
                    summary = await use(Operator(session, settings, redis, after))
                except DomainError as error:
                    raise click.ClickException(error.message) from error
                await session.commit()
            for announce in after:
                await announce()
        finally:
            await redis.aclose()
        return summary

    click.echo(asyncio.run(run(_attached())))


async def tenant_id_of(session: Any, slug: str) -> UUID:
    from app.db.stores.tenancy import SqlTenancyStore

    tenant_id = await SqlTenancyStore(session).tenant_id_by_slug(slug)
    if tenant_id is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant_id


@click.group("admin", help="Tenant administration from the machine (audited as 'cli').")
def admin() -> None:
    pass


def _user_service(op: Operator, tenant_id: UUID) -> Any:
    """The tenant's AdminService as the operator: a disabled user's tokens end and their cached identity is
    dropped in every API process once the command commits, as when an admin acts through the APIs."""
    from app.auth.revocations import Revocations
    from app.domain.actor import Actor
    from app.wiring import build_admin_service

    ender = Revocations(op.redis, ttl_s=op.settings.access_token_ttl_seconds + 60)
    return build_admin_service(
        op.session, Actor(tenant_id=tenant_id), operator=True, sessions=ender, changes=op.changes()
    )


def _adjust_command(name: str, revoke: bool) -> Any:
    @admin.command(
        name,
        help=f"{'Take' if revoke else 'Give'} AMOUNT credits {'from' if revoke else 'to'} EMAIL in SLUG.",
    )
    @click.argument("slug")
    @click.argument("email")
    @click.argument("amount", type=float)
    @click.option("--reason", default="by the operator", show_default=True)
    def command(slug: str, email: str, amount: float, reason: str) -> None:
        async def use(op: Operator) -> str:
            from app.contracts import CreditAdjustment

            tenant_id, user_id = await _tenant_and_user(op.session, slug, email)
            service = _user_service(op, tenant_id)
            change = CreditAdjustment(user_id=user_id, amount=amount, reason=reason)
            entry = await (service.revoke_credits if revoke else service.grant_credits)(change)
            return f"{entry.kind} {entry.amount:+g} credits for {email} in {slug}"

        operate(use)

    return command


grant_credits = _adjust_command("grant-credits", revoke=False)
revoke_credits = _adjust_command("revoke-credits", revoke=True)


@admin.command("users", help="The users of tenant SLUG with role and credit balance.")
@click.argument("slug")
def list_users(slug: str) -> None:
    async def use(op: Operator) -> str:
        service = _user_service(op, await tenant_id_of(op.session, slug))
        return "\n".join(
            f"{user.id}  {user.email or '-':32}  {'admin' if user.is_admin else 'user':5}  "
            f"{user.credit_balance:>10g} credits"
            for user in await service.users(limit=200)
        )

    operate(use)


def _access_command(name: str, disable: bool) -> Any:
    @admin.command(
        name,
        help="Disable EMAIL in SLUG: sessions, tokens and API keys refused at once, no sign-in."
        if disable
        else "Let EMAIL in SLUG sign in again.",
    )
    @click.argument("slug")
    @click.argument("email")
    def command(slug: str, email: str) -> None:
        async def use(op: Operator) -> str:
            tenant_id, user_id = await _tenant_and_user(op.session, slug, email)
            service = _user_service(op, tenant_id)
            await (service.disable_user if disable else service.enable_user)(user_id)
            return f"{email} in {slug} {'disabled' if disable else 'enabled'}"

        operate(use)

    return command


disable_user = _access_command("disable-user", disable=True)
enable_user = _access_command("enable-user", disable=False)


@click.command("seed", help="Fill a demo tenant ('demo'): two users, boards and generations made by the offline "
               "generators (real PNG, text, WAV and MP4 files). Safe to run again: it adds nothing twice.")  # fmt: skip
def seed() -> None:
    from app.platform.embedded_runtime import embedded_servers
    from app.platform.logging import configure_logging

    settings = get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    with embedded_servers(settings) as resolved:
        from app.platform import migrate

        migrate.upgrade(resolved.require_database_url())
        from app.seed import seed_demo

        summary = asyncio.run(seed_demo(resolved, DEMO_SLUG, DEMO_USERS, DEMO_BOARDS, DEMO_PASSWORD))
    click.echo(summary)
