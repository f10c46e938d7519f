"""Storage keys recorded for generations and boards (what a deletion must remove from storage)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.stores._scoped import TenantScoped

_KEYS = """
SELECT DISTINCT k FROM (
    SELECT unnest(ARRAY[g.storage_key, g.thumbnail_key]) AS k
    FROM generations g WHERE g.tenant_id = :tenant AND {where}
  UNION ALL
    SELECT f ->> 'key' FROM generations g, jsonb_array_elements(g.additional_files) AS f
    WHERE g.tenant_id = :tenant AND {where} AND jsonb_typeof(f) = 'object'
  UNION ALL
    SELECT u.storage_key FROM upload_intents u
    WHERE u.tenant_id = :tenant AND u.confirmed_at IS NULL AND {intent_where}
) AS keys WHERE k IS NOT NULL AND k <> '' ORDER BY k
"""


class SqlFileKeys(TenantScoped):
    """Implements app.domain.files.FileKeys."""

    async def _keys(self, where: str, intent_where: str, params: dict[str, object]) -> list[str]:
        sql = text(_KEYS.format(where=where, intent_where=intent_where))
        rows = await self.session.execute(sql, {"tenant": self.tenant_id, **params})
        return [str(k) for (k,) in rows.all()]

    async def of_generation(self, generation_id: UUID) -> list[str]:
        return await self._keys("g.id = :id", "u.id = :id", {"id": generation_id})

    async def of_board(self, board_id: UUID) -> list[str]:
        return await self._keys("g.board_id = :id", "u.board_id = :id", {"id": board_id})


async def take_expired_uploads(session: AsyncSession, *, grace_s: float, limit: int = 1000) -> list[str]:
    """Delete never-confirmed upload intents expired more than `grace_s` ago, across tenants (a system
    sweep, like the generation sweeper); returns their storage keys, whose objects must go too."""
    rows = await session.execute(
        text(
            "DELETE FROM upload_intents WHERE id IN (SELECT id FROM upload_intents WHERE confirmed_at IS NULL"
            " AND expires_at < now() - make_interval(secs => :grace) ORDER BY expires_at LIMIT :limit)"
            " RETURNING storage_key"
        ),
        {"grace": grace_s, "limit": limit},
    )
    return [str(k) for (k,) in rows.all()]
