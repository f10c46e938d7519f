"""`python -m app admin …` (operator commands on the machine, audited as "cli") and `python -m app seed`.

Both go through the same AdminService and generation runner the APIs and workers use.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


@click.group("admin", help="Tenant administration from the machine (audited as 'cli').")
def admin() -> None:
    pass


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
        async def run(settings: Settings) -> None:
            from app.contracts import CreditAdjustment
            from app.domain.actor import Actor
            from app.domain.errors import DomainError
            from app.wiring import build_admin_service

            async with _session(settings) as session:
                tenant_id, user_id = await _tenant_and_user(session, slug, email)
                service = build_admin_service(session, Actor(tenant_id=tenant_id), operator=True)
                change = CreditAdjustment(user_id=user_id, amount=amount, reason=reason)
                try:
                    entry = await (service.revoke_credits if revoke else service.grant_credits)(change)
                except DomainError as error:
                    raise click.ClickException(error.message) from error
                await session.commit()
            click.echo(f"{entry.kind} {entry.amount:+g} credits for {email} in {slug}")

        asyncio.run(run(_attached()))

    return command


grant_credits = _adjust_command("grant-credits", revoke=False)
revoke_credits = _adjust_command("revoke-credits", revoke=True)


@admin.command("users", help="The users of tenant SLUG with role and credit balance.")
@click.argument("slug")
def list_users(slug: str) -> None:
    async def run(settings: Settings) -> None:
        from app.db.stores.tenancy import SqlTenancyStore
        from app.domain.actor import Actor
        from app.wiring import build_admin_service

        async with _session(settings) as session:
            tenant_id = await SqlTenancyStore(session).tenant_id_by_slug(slug)
            if tenant_id is None:
                raise click.ClickException(f"no tenant {slug!r}")
            service = build_admin_service(session, Actor(tenant_id=tenant_id), operator=True)
            for user in await service.users(limit=200):
                role = "admin" if user.is_admin else "user"
                click.echo(f"{user.id}  {user.email or '-':32}  {role:5}  {user.credit_balance:>10g} credits")

    asyncio.run(run(_attached()))


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
        async def run(settings: Settings) -> None:
            from redis.asyncio import Redis

            from app.auth.revocations import Revocations
            from app.domain.actor import Actor
            from app.domain.errors import DomainError
            from app.wiring import build_admin_service

            redis = Redis.from_url(
                settings.require_redis_url()
            )  # ends the access tokens in every API process
            ender = Revocations(redis, ttl_s=settings.access_token_ttl_seconds + 60)
            try:
                async with _session(settings) as session:
                    tenant_id, user_id = await _tenant_and_user(session, slug, email)
                    service = build_admin_service(
                        session, Actor(tenant_id=tenant_id), operator=True, sessions=ender
                    )
                    try:
                        await (service.disable_user if disable else service.enable_user)(user_id)
                    except DomainError as error:
                        raise click.ClickException(error.message) from error
                    await session.commit()
            finally:
                await redis.aclose()
            click.echo(f"{email} in {slug} {'disabled' if disable else 'enabled'}")

        asyncio.run(run(_attached()))

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
