"""`python -m app seed`: a demo tenant for a first look, made by the real runner and offline generators.

Rows are written directly (they are the fixture), then each generation is run by the same job function the
workers run (`run_generation`, with a worker's runtime), so its files are real and its row completed the
usual way. Running it again adds nothing that is already there.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text

from app.auth.passwords import Argon2PasswordHasher
from app.settings import Settings

DEMO_CREDITS = Decimal(100)


async def _tenant(session: Any, slug: str) -> UUID:
    found = (await session.execute(text("SELECT id FROM tenants WHERE slug = :s"), {"s": slug})).scalar()
    if found is not None:
        return UUID(str(found))
    created = await session.execute(
        text("INSERT INTO tenants (name, slug) VALUES (:n, :s) RETURNING id"), {"n": slug.title(), "s": slug}
    )
    return UUID(str(created.scalar_one()))


async def _user(
    session: Any, tenant_id: UUID, email: str, name: str, *, is_admin: bool, password: str
) -> UUID:
    found = (
        await session.execute(
            text("SELECT id FROM users WHERE tenant_id = :t AND email = :e"), {"t": tenant_id, "e": email}
        )
    ).scalar()
    if found is not None:
        return UUID(str(found))
    row = await session.execute(
        text("INSERT INTO users (tenant_id, auth_provider, auth_subject, email, display_name, password_hash, is_admin) "
             "VALUES (:t, 'local', :s, :e, :n, :h, :a) RETURNING id"),
        {"t": tenant_id, "s": email, "e": email, "n": name, "h": await Argon2PasswordHasher().hash(password), "a": is_admin},
    )  # fmt: skip
    user_id = UUID(str(row.scalar_one()))
    await session.execute(
        text("INSERT INTO credit_ledger (tenant_id, user_id, kind, amount, reason) "
             "VALUES (:t, :u, 'grant', :a, 'demo credits')"),
        {"t": tenant_id, "u": user_id, "a": DEMO_CREDITS},
    )  # fmt: skip
    return user_id


async def _board(
    session: Any,
    tenant_id: UUID,
    owner: UUID,
    title: str,
    *,
    runs: list[tuple[str, dict[str, Any]]],
    catalog: Any,
) -> list[UUID]:
    """The board and its pending generations; nothing when a board of that title exists already."""
    exists = await session.execute(
        text("SELECT 1 FROM boards WHERE tenant_id = :t AND owner_id = :o AND title = :title"),
        {"t": tenant_id, "o": owner, "title": title},
    )
    if exists.first() is not None:
        return []
    board = await session.execute(
        text(
            "INSERT INTO boards (tenant_id, owner_id, title, is_public) VALUES (:t, :o, :title, true) RETURNING id"
        ),
        {"t": tenant_id, "o": owner, "title": title},
    )
    board_id = board.scalar_one()
    created = []
    for generator, params in runs:
        row = await session.execute(
            text("INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, input_params) "
                 "VALUES (:t, :b, :u, :g, CAST(:k AS artifact_type), CAST(:p AS jsonb)) RETURNING id"),
            {"t": tenant_id, "b": board_id, "u": owner, "g": generator, "k": catalog.get(generator).artifact_type,
             "p": json.dumps(params)},
        )  # fmt: skip
        created.append(UUID(str(row.scalar_one())))
    return created


async def seed_demo(
    settings: Settings,
    slug: str,
    people: list[tuple[str, str, bool]],
    boards: list[tuple[str, list[tuple[str, dict[str, Any]]]]],
    password: str,
) -> str:
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.pool import NullPool

    from app.generators import load_registry
    from app.generators.providers import provider_config
    from app.jobs.config import worker_hooks
    from app.jobs.runner import run_generation

    catalog = load_registry(settings.generators_config, provider_config(settings))
    engine = create_async_engine(settings.require_database_url(), poolclass=NullPool)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        tenant_id = await _tenant(session, slug)
        owners = [
            await _user(session, tenant_id, email, name, is_admin=admin, password=password)
            for email, name, admin in people
        ]
        pending: list[UUID] = []
        for index, (title, runs) in enumerate(boards):
            pending += await _board(
                session, tenant_id, owners[index % len(owners)], title, runs=runs, catalog=catalog
            )
        await session.commit()
    await engine.dispose()
    startup, shutdown = worker_hooks(settings)
    ctx: dict[str, Any] = {}
    await startup(ctx)
    try:
        outcomes = [
            await run_generation(ctx, generation_id=str(g), tenant_id=str(tenant_id)) for g in pending
        ]
    finally:
        await shutdown(ctx)
    done = sum(1 for outcome in outcomes if outcome == "completed")
    logins = ", ".join(email for email, _, _ in people)
    return (
        f"tenant {slug!r}: {len(people)} users ({logins}; password {password!r}), {done}/{len(pending)} new "
        f"generations completed"
    )
