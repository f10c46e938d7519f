"""What generation use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

import msgspec

from app.contracts import ArtifactType, Board, Generation, GenerationStatus, User
from app.domain.policy import BoardRelation

if TYPE_CHECKING:
    from app.domain.generations.lifecycle import Run


class GenerationAccess(Protocol):
    """The board facts a permission check on a generation needs."""

    async def board_relation_of(self, generation_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...


class GenerationStore(GenerationAccess, Protocol):
    """Generations of one tenant."""

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def get(self, generation_id: UUID) -> Generation | None: ...

    async def get_with_relation(
        self, generation_id: UUID, user_id: UUID | None
    ) -> tuple[Generation, BoardRelation, Board, User | None] | None:
        """The generation, the caller's relation to its board, the board and the author (one read)."""
        ...

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
        count_up_to: int | None = None,
    ) -> tuple[Sequence[Generation], int]:
        """The page and the total: matching rows counted up to `count_up_to` (so a lower bound when it reaches
        it); without `count_up_to`, offset + rows (no count statement)."""
        ...

    async def delete(self, generation_id: UUID) -> bool: ...

    async def inputs_of(self, generation_ids: Sequence[UUID]) -> dict[UUID, list[tuple[UUID, str, int]]]: ...

    async def lineage_edges(
        self, root: UUID, *, ancestors: bool, max_depth: int
    ) -> list[tuple[UUID, UUID, str, int]]: ...

    async def readable_among(
        self, generation_ids: Sequence[UUID], *, viewer: UUID | None, public_reads: bool
    ) -> list[Generation]: ...


class GeneratorCatalog(Protocol):
    """The enabled generators (implemented by app.generators.GeneratorRegistry)."""

    def describe(self, artifact_type: str | None = None) -> list[dict[str, Any]]: ...

    def artifact_type(self, name: str) -> str:
        """What the named generator makes (image, video, ...); NotFound for an unknown name."""
        ...

    def validate(
        self, name: str, artifact_type: str | None, params: dict[str, Any]
    ) -> tuple[dict[str, Any], Decimal]: ...

    def references(self, name: str, params: dict[str, Any]) -> list[tuple[str, UUID, int]]:
        """(role, generation id, position) of inputs that point at earlier generations."""
        ...

    def accepts(self, name: str, role: str) -> str | None:
        """The artifact type a reference role takes (image, video, ...), or None when any will do."""
        ...


class JobDispatcher(Protocol):
    """Queues work to run AFTER the current unit of work commits (a job never sees an uncommitted row)."""

    def run_generation_after_commit(self, generation_id: UUID, tenant_id: UUID) -> None: ...

    async def abort_generation(self, cancelled: Generation) -> None:
        """After commit: announce the cancellation (streams end) and stop the job if it runs."""
        ...


class PendingGeneration(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new generation as the runner creates it (the store adds the tenant). Its fields ARE the insert's
    columns (app/db/stores/generations.py builds the statement from them), so none can be dropped."""

    board_id: UUID
    user_id: UUID
    generator_name: str
    artifact_type: str
    input_params: dict[str, Any]
    estimated_cost: Decimal
    idempotency_key: str | None
    phase: str = "queued"
    batch_id: UUID | None = None
    batch_index: int | None = None


class GenerationWriter(Protocol):
    async def insert_pending(self, pending: PendingGeneration) -> tuple[Generation, bool]:
        """(generation, created): an existing generation is returned for a repeated idempotency key."""
        ...

    async def cancel(self, generation_id: UUID) -> Generation | None:
        """Mark pending/processing as cancelled; None when already terminal."""
        ...

    async def record_inputs(self, generation_id: UUID, refs: list[tuple[str, UUID, int]]) -> None:
        """Lineage edges: this generation used those generations' artifacts, in these roles."""
        ...


@dataclass(frozen=True)
class StoredOutputs:
    """What a finished run leaves: the primary artifact, its thumbnail, extra files and metadata."""

    storage_key: str | None
    content_type: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    thumbnail_key: str | None = None
    additional: list[dict[str, Any]] = field(default_factory=list)


class LifecycleStore(Protocol):
    """Applies app.domain.generations.lifecycle.TRANSITIONS as compare-and-sets. Every method taking a Run
    writes only while the row is still held by that run's attempt (fencing); None/False otherwise.

    Every method is atomic on its own (one statement in the SQL store), so a worker runs each step without
    a transaction around it; a transition that ends a run settles its credit reservation in the same
    statement (at most once per generation: capture XOR refund), and only when the transition matched."""

    async def claim(
        self, generation_id: UUID, *, owner: str, lease_s: float, max_failures: int
    ) -> tuple[Generation, int, int] | None:
        """(generation, attempt claimed, failures so far), or None when it is not claimable."""
        ...

    async def progress(
        self, run: Run, fraction: float, phase: str, message: str | None, lease_s: float
    ) -> Generation | None: ...

    async def record_external_job(self, run: Run, job_id: str, lease_s: float) -> bool: ...

    async def complete(self, run: Run, outputs: StoredOutputs, *, capture: str) -> Generation | None:
        """Completed, and the reservation captured (`capture` is the ledger's reason)."""
        ...

    async def fail(self, run: Run, code: str, reason: str, *, refund: str) -> Generation | None:
        """Failed, and the reservation refunded (`refund` is the ledger's reason)."""
        ...

    async def requeue(self, run: Run, reason: str, *, count_failure: bool) -> Generation | None: ...

    async def holds(self, run: Run) -> bool:
        """Is the row still processing under this run's attempt?"""
        ...

    async def storage_key_of(self, generation_id: UUID) -> str | None: ...


class BatchStore(Protocol):
    async def batch(self, batch_id: UUID) -> Sequence[Generation]:
        """The batch's generations in batch order (tenant-scoped; permissions are the caller's job)."""
        ...

    async def first_of_key(self, user_id: UUID, key: str) -> Generation | None:
        """The first generation the user created under this idempotency key, if any."""
        ...
