"""Starting and stopping generations: validate against the generator, store `pending`, queue after commit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.contracts import CostEstimate, Generation, GenerationCreate, GeneratorInfo
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
        return [
            GeneratorInfo(
                name=g["name"], description=g["description"], artifact_type=g["artifact_type"],
                input_schema=g["input_schema"],
            )
            for g in self._catalog.describe(artifact_type)
        ]  # fmt: skip

    def estimate(self, generator_name: str, input_params: dict[str, Any]) -> CostEstimate:
        _, cost = self._catalog.validate(generator_name, None, input_params)
        return CostEstimate(generator_name=generator_name, estimated_cost=float(cost))

    async def create(self, command: GenerationCreate) -> Generation:
        require(
            self._actor, await self._store.relation(command.board_id, self._actor.user_id), Access.CONTRIBUTE
        )
        user_id = require_user(self._actor)
        artifact = None if command.artifact_type is None else command.artifact_type.value
        params, cost = self._catalog.validate(command.generator_name, artifact, command.input_params)
        refs = self._catalog.references(command.generator_name, params)
        for role, input_id, _ in refs:  # every input must exist in this tenant and be readable by the caller
            try:
                await self._readable(input_id)
            except NotFound:
                raise Invalid(
                    f"inputParams.{role}: generation {input_id} not found", details={"field": role}
                ) from None
        if self._credits is not None:
            await self._credits.check(cost)
        generation, created = await self._writer.insert_pending(
            PendingGeneration(
                board_id=command.board_id,
                user_id=user_id,
                generator_name=command.generator_name,
                artifact_type=self._catalog.artifact_type(command.generator_name),
                input_params=params,
                estimated_cost=cost,
                idempotency_key=command.idempotency_key,
                phase="queued",
            )
        )
        if created:
            if self._credits is not None:
                await self._credits.reserve(generation.id, cost)
            if refs:
                await self._writer.record_inputs(generation.id, refs)
            self._jobs.run_generation_after_commit(generation.id, self._actor.tenant_id)
        elif generation.board_id != command.board_id or generation.generator_name != command.generator_name:
            raise Conflict("this idempotency key was used for a different generation")
        return generation

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

    async def _readable(self, generation_id: UUID) -> Generation:
        relation = await self._store.board_relation_of(generation_id, self._actor.user_id)
        require_on_generation(self._actor, relation, Access.READ)
        generation = await self._store.get(generation_id)
        if generation is None:
            raise NotFound("generation not found")
        return generation
