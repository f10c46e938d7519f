"""The storage as the uploads use case sees it (app.domain.uploads' artifact port)."""

from __future__ import annotations

from uuid import UUID

from app.storage.local import storage_key
from app.storage.router import Storage


class StorageArtifacts:
    """The storage as uploads see it: keys laid out by tenant/board/generation, routed puts, deletes."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def key_for(
        self, tenant_id: UUID, board_id: UUID, generation_id: UUID, extension: str, suffix: str
    ) -> str:
        return storage_key(tenant_id, board_id, generation_id, extension, suffix=suffix)

    async def put(self, key: str, data: bytes, *, content_type: str, artifact_type: str) -> str:
        return await self._storage.put(key, data, content_type=content_type, artifact_type=artifact_type)

    async def delete(self, ref: str) -> None:
        await self._storage.delete(ref)
