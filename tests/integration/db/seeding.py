"""Rows the db tests insert directly: an owner and a board of the default tenant."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from sqlalchemy import text


async def owner_and_board(conn: Any) -> tuple[Any, Any, Any]:
    """(tenant id, owner id, board id), inserted through `conn` (an AsyncConnection or AsyncSession)."""
    tenant = (await conn.execute(text("SELECT id FROM tenants WHERE slug = 'default'"))).scalar_one()
    user = (
        await conn.execute(
            text(
                "INSERT INTO users (tenant_id, auth_provider, auth_subject) VALUES (:t, 'db', :s) RETURNING id"
            ),
            {"t": tenant, "s": uuid4().hex},
        )
    ).scalar_one()
    board = (
        await conn.execute(
            text("INSERT INTO boards (tenant_id, owner_id, title) VALUES (:t, :o, 'b') RETURNING id"),
            {"t": tenant, "o": user},
        )
    ).scalar_one()
    return tenant, user, board
