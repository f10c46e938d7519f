"""What generation use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from app.contracts import ArtifactType, Generation, GenerationStatus
from app.domain.policy import BoardRelation


class GenerationAccess(Protocol):
    """The board facts a permission check on a generation needs."""

    async def board_relation_of(self, generation_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...


class GenerationStore(GenerationAccess, Protocol):
    """Generations of one tenant."""

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def get(self, generation_id: UUID) -> Generation | None: ...

    async def get_many(self, generation_ids: Sequence[UUID]) -> Sequence[Generation]: ...

    async def for_boards(
        self, board_ids: Sequence[UUID], *, limit: int, offset: int
    ) -> dict[UUID, list[Generation]]: ...

    async def count_for_boards(self, board_ids: Sequence[UUID]) -> dict[UUID, int]: ...

    async def recent(
        self,
        *,
        viewer: UUID | None,
        board_id: UUID | None,
        status: GenerationStatus | None,
        artifact_type: ArtifactType | None,
        limit: int,
        offset: int,
        public_reads: bool,
    ) -> tuple[Sequence[Generation], int]: ...

    async def delete(self, generation_id: UUID) -> bool: ...
