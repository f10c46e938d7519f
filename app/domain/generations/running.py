"""Starting and stopping generations: validate against the generator, store `pending`, queue after commit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.contracts import (
    CostEstimate,
    Generation,
    GenerationCreate,
    GeneratorGroup,
    GeneratorInfo,
    GeneratorPrice,
)
from app.domain.actor import Actor
from app.domain.credits import CreditService
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.generations.naming import is_upload
from app.domain.generations.ports import (
    GenerationStore,
    GenerationWriter,
    GeneratorCatalog,
    JobDispatcher,
    PendingGeneration,
)
from app.domain.policy import Access, require, require_on_generation, require_user


@dataclass(frozen=True, slots=True)
class Prepared:
    """Checked inputs of one run: params as the generator normalised them, cost, lineage references."""

    params: dict[str, Any]
    cost: Decimal
    refs: list[tuple[str, UUID, int]]


class GenerationRunner:
    """createGeneration, regenerate, cancelGeneration, generators, cost estimates."""

    def __init__(
        self,
        store: GenerationStore,
        writer: GenerationWriter,
        catalog: GeneratorCatalog,
        jobs: JobDispatcher,
        actor: Actor,
        *,
        credits: CreditService | None = None,
    ) -> None:
        self._credits = credits
        self._store = store
        self._writer = writer
        self._catalog = catalog
        self._jobs = jobs
        self._actor = actor

    def generators(self, artifact_type: str | None = None) -> list[GeneratorInfo]:
        """Listed generators, ordered by artifact type, provider, then name."""
        return [
            GeneratorInfo(
                name=g["name"], description=g["description"], artifact_type=g["artifact_type"],
                input_schema=g["input_schema"], provider=g["provider"], model=g["model"],
                display_name=g["display_name"], task=g["task"],
                price=GeneratorPrice(**g["price"]) if g["price"] else None,
            )
            for g in self._catalog.describe(artifact_type)
        ]  # fmt: skip

    def generator_groups(self, artifact_type: str | None = None) -> list[GeneratorGroup]:
        """The same list grouped by artifact type, then provider (what a generator picker shows)."""
        groups: list[GeneratorGroup] = []
        for info in self.generators(artifact_type):
            if not groups or (groups[-1].artifact_type, groups[-1].provider) != (
                info.artifact_type,
                info.provider,
            ):
                groups.append(
                    GeneratorGroup(artifact_type=info.artifact_type, provider=info.provider, generators=[])
                )
            groups[-1].generators.append(info)
        return groups

    def estimate(self, generator_name: str, input_params: dict[str, Any]) -> CostEstimate:
        _, cost = self._catalog.validate(generator_name, None, input_params)
        return CostEstimate(generator_name=generator_name, estimated_cost=float(cost))

    async def create(self, command: GenerationCreate) -> Generation:
        user_id = await self.authorize(command.board_id)
        artifact = None if command.artifact_type is None else command.artifact_type.value
        prepared = await self.prepare(command.generator_name, artifact, command.input_params)
        await self.check_credits(prepared.cost)
        generation, created = await self.insert(
            command.board_id, user_id, command.generator_name, prepared, key=command.idempotency_key
        )
        if not created and (
            generation.board_id != command.board_id or generation.generator_name != command.generator_name
        ):
            raise Conflict("this idempotency key was used for a different generation")
        return generation

    # The steps of creation, shared by single runs and batches (app.domain.generations.batches).

    async def authorize(self, board_id: UUID) -> UUID:
        """The caller's user id when they may create generations on the board."""
        require(self._actor, await self._store.relation(board_id, self._actor.user_id), Access.CONTRIBUTE)
        return require_user(self._actor)

    async def prepare(
        self, generator_name: str, artifact: str | None, input_params: dict[str, Any]
    ) -> Prepared:
        """Inputs checked against the generator, their cost, and the earlier generations they reference."""
        params, cost = self._catalog.validate(generator_name, artifact, input_params)
        refs = self._catalog.references(generator_name, params)
        for role, input_id, _ in refs:  # every input must exist in this tenant and be readable by the caller
            try:
                source = await self._readable(input_id)
            except NotFound:
                raise Invalid(
                    f"inputParams.{role}: generation {input_id} not found", details={"field": role}
                ) from None
            wanted = self._catalog.accepts(generator_name, role)
            if wanted is not None and source.artifact_type.value != wanted:
                raise Invalid(
                    f"inputParams.{role}: generation {input_id} is {source.artifact_type.value}, not {wanted}",
                    details={"field": role},
                )
        return Prepared(params, cost, refs)

    async def check_credits(self, total: Decimal) -> None:
        """One balance check (under the user's row lock) for everything about to be created."""
        if self._credits is not None:
            await self._credits.check(total)

    async def insert(
        self,
        board_id: UUID,
        user_id: UUID,
        generator_name: str,
        prepared: Prepared,
        *,
        key: str | None,
        batch: tuple[UUID, int] | None = None,
    ) -> tuple[Generation, bool]:
        """Store it pending, reserve its cost, record its lineage and queue it after commit (once per key)."""
        generation, created = await self._writer.insert_pending(
            PendingGeneration(
                board_id=board_id,
                user_id=user_id,
                generator_name=generator_name,
                artifact_type=self._catalog.artifact_type(generator_name),
                input_params=prepared.params,
                estimated_cost=prepared.cost,
                idempotency_key=key,
                phase="queued",
                batch_id=None if batch is None else batch[0],
                batch_index=None if batch is None else batch[1],
            )
        )
        if created:
            if self._credits is not None:
                await self._credits.reserve(generation.id, prepared.cost)
            if prepared.refs:
                await self._writer.record_inputs(generation.id, prepared.refs)
            self._jobs.run_generation_after_commit(generation.id, self._actor.tenant_id)
        return generation, created

    async def regenerate(self, generation_id: UUID) -> Generation:
        """Run the same generator with the same inputs again, as a new generation on the same board."""
        original = await self._readable(generation_id)
        if is_upload(original.generator_name):
            raise Invalid("an uploaded artifact cannot be regenerated; upload it again instead")
        command = GenerationCreate(
            board_id=original.board_id,
            generator_name=original.generator_name,
            input_params=original.input_params,
        )
        return await self.create(command)

    async def cancel(self, generation_id: UUID) -> Generation:
        generation = await self._readable(generation_id)
        relation = await self._store.relation(generation.board_id, self._actor.user_id)
        own = generation.user_id == self._actor.user_id
        require(self._actor, relation, Access.CONTRIBUTE if own else Access.MANAGE)
        cancelled = await self._writer.cancel(generation_id)
        if cancelled is None:
            return generation  # already finished: cancelling is a no-op, never an overwrite
        if self._credits is not None:
            await self._credits.refund(generation_id, "cancelled")
        await self._jobs.abort_generation(cancelled)
        return cancelled

    async def readable(self, generation_id: UUID) -> Generation:
        """A generation the caller may read (NotFound otherwise)."""
        return await self._readable(generation_id)

    async def _readable(self, generation_id: UUID) -> Generation:
        relation = await self._store.board_relation_of(generation_id, self._actor.user_id)
        require_on_generation(self._actor, relation, Access.READ)
        generation = await self._store.get(generation_id)
        if generation is None:
            raise NotFound("generation not found")
        return generation
