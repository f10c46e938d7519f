"""Generation reads and deletion. Reading needs READ on the board; deleting needs MANAGE, or CONTRIBUTE
for the author's own generation (editors manage their own)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from app.contracts import (
    ArtifactType,
    Board,
    Generation,
    GenerationList,
    GenerationStatus,
    Lineage,
    LineageEdge,
    PageInfo,
    User,
)
from app.domain.actor import Actor
from app.domain.errors import Invalid, NotFound
from app.domain.files import FileCleanup, FileKeys
from app.domain.generations.ports import GenerationStore
from app.domain.paging import check_page, count_limit
from app.domain.policy import Access, require, require_on_generation


class GenerationService:
    def __init__(
        self,
        store: GenerationStore,
        actor: Actor,
        *,
        file_keys: FileKeys | None = None,
        files: FileCleanup | None = None,
    ) -> None:
        self._store = store
        self._actor = actor
        self._file_keys = file_keys
        self._files = files

    async def get(self, generation_id: UUID) -> Generation:
        return (await self.get_in_context(generation_id))[0]

    async def get_in_context(self, generation_id: UUID) -> tuple[Generation, Board, User | None]:
        """A readable generation, its board and its author, read together (a detail view shows all three)."""
        found = await self._store.get_with_relation(generation_id, self._actor.user_id)
        require_on_generation(self._actor, None if found is None else found[1], Access.READ)
        if found is None:  # require_on_generation raised already; this tells the type checker
            raise NotFound("generation not found")
        return found[0], found[2], found[3]

    async def for_readable_boards(
        self, board_ids: Sequence[UUID], *, limit: int, offset: int
    ) -> dict[UUID, list[Generation]]:
        """Generations of boards the caller already read through BoardService (GraphQL's Board.generations)."""
        check_page(limit, offset)
        return await self._store.for_boards(board_ids, limit=limit, offset=offset)

    async def counts_for_readable_boards(self, board_ids: Sequence[UUID]) -> dict[UUID, int]:
        return await self._store.count_for_boards(board_ids)

    async def recent(
        self,
        *,
        board_id: UUID | None = None,
        status: GenerationStatus | None = None,
        artifact_type: ArtifactType | None = None,
        limit: int = 50,
        offset: int = 0,
        counted: bool = True,
    ) -> GenerationList:
        """Newest generations the caller may read (of one board, or of every board they can read).
        `counted=False` (GraphQL's list has no total) skips the count; page.total is then only offset + the
        rows returned. Otherwise the count stops 10,000 rows past the page (app.domain.paging)."""
        check_page(limit, offset)
        if board_id is not None:
            require(self._actor, await self._store.relation(board_id, self._actor.user_id), Access.READ)
        items, total = await self._store.recent(
            viewer=self._actor.user_id, board_id=board_id, status=status, artifact_type=artifact_type,
            limit=limit, offset=offset, public_reads=self._actor.public_reads,
            count_up_to=count_limit(limit, offset) if counted else None,
        )  # fmt: skip
        exact = total < count_limit(limit, offset) if counted else len(items) < limit
        page = PageInfo(total=total, limit=limit, offset=offset, total_exact=exact)
        return GenerationList(items=list(items), page=page)

    async def readable(self, generation_ids: Sequence[UUID]) -> dict[UUID, Generation]:
        """The given generations the caller may read (lineage neighbours can sit on other boards)."""
        found = await self._store.readable_among(
            list(generation_ids), viewer=self._actor.user_id, public_reads=self._actor.public_reads
        )
        return {g.id: g for g in found}

    async def inputs_of_readable(
        self, generation_ids: Sequence[UUID]
    ) -> dict[UUID, list[tuple[UUID, str, int]]]:
        """Lineage inputs of generations the caller already read (GraphQL's inputArtifacts, batched)."""
        return await self._store.inputs_of(generation_ids)

    async def lineage(self, generation_id: UUID, *, ancestors: bool, max_depth: int = 25) -> Lineage:
        """Ancestry (what it was made from) or descendants (what was made from it), by recursive SQL.
        Generations on boards the caller may not read are left out, with their edges."""
        if not 1 <= max_depth <= 100:
            raise Invalid("maxDepth must be 1-100", details={"field": "maxDepth"})
        await self.get(generation_id)
        edges = await self._store.lineage_edges(generation_id, ancestors=ancestors, max_depth=max_depth)
        ids = {generation_id} | {e[0] for e in edges} | {e[1] for e in edges}
        readable = await self._store.readable_among(
            list(ids), viewer=self._actor.user_id, public_reads=self._actor.public_reads
        )
        seen = {g.id for g in readable}
        kept = [
            LineageEdge(generation_id=a, input_generation_id=b, role=role, depth=depth)
            for a, b, role, depth in edges
            if a in seen and b in seen
        ]
        return Lineage(
            root_id=generation_id,
            direction="ancestry" if ancestors else "descendants",
            edges=kept,
            generations=readable,
        )

    async def delete(self, generation_id: UUID) -> bool:
        relation = await self._store.board_relation_of(generation_id, self._actor.user_id)
        generation = await self._store.get(generation_id) if relation is not None else None
        if relation is None or generation is None:
            raise NotFound("generation not found")
        own = generation.user_id == self._actor.user_id
        require(self._actor, relation, Access.CONTRIBUTE if own else Access.MANAGE)
        keys = await self._file_keys.of_generation(generation_id) if self._file_keys else []
        deleted = await self._store.delete(generation_id)
        if deleted and self._files is not None:
            self._files.delete_after_commit(keys)  # a job, after commit: a rollback keeps the files
        return deleted
