"""Batches of variations: one request, N generations (copies, seeds or a parameter sweep) created through the
same steps as a single run (GenerationRunner), in the request's one transaction, after ONE credit check for
the whole batch, under ONE idempotency key, grouped by a batch id clients stack them by."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.contracts import Generation, GenerationBatch, GenerationBatchCreate
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.generations.naming import is_upload
from app.domain.generations.ports import BatchStore
from app.domain.generations.running import GenerationRunner

MAX_BATCH = 16


def variations(command: GenerationBatchCreate) -> list[dict[str, Any]]:
    """Input params of each generation of the batch: exactly one of count, seeds or sweep says how."""
    given = [name for name, on in (("count", command.count is not None), ("seeds", bool(command.seeds)),
                                   ("sweep", bool(command.sweep))) if on]  # fmt: skip
    if len(given) != 1:
        raise Invalid("give exactly one of count, seeds or sweep", details={"field": "count"})
    base = command.input_params
    if command.count is not None:
        seed = base.get("seed")
        if isinstance(seed, int) and not isinstance(seed, bool):  # copies of a seeded run differ by seed
            return [{**base, "seed": seed + i} for i in range(command.count)]
        return [dict(base) for _ in range(command.count)]
    if command.seeds:
        if len(set(command.seeds)) != len(command.seeds):
            raise Invalid("seeds repeat", details={"field": "seeds"})
        return [{**base, "seed": s} for s in command.seeds]
    return _sweep(base, command.sweep)


def _sweep(base: dict[str, Any], sweep: dict[str, Any]) -> list[dict[str, Any]]:
    names = sorted(sweep)
    for name in names:
        values = sweep[name]
        if not isinstance(values, list) or not values:
            raise Invalid(f"sweep.{name} must be a non-empty list of values", details={"field": "sweep"})
    total = 1
    for name in names:
        total *= len(sweep[name])
    if total > MAX_BATCH:
        raise Invalid(f"the sweep makes {total} generations; at most {MAX_BATCH}", details={"field": "sweep"})
    return [
        {**base, **dict(zip(names, combo, strict=True))}
        for combo in itertools.product(*(sweep[n] for n in names))
    ]


def _item_key(key: str, index: int) -> str:
    return f"{key}#{index}"


class BatchRunner:
    """createGenerationBatch, cancelGenerationBatch, regenerateGenerationBatch, generationBatch."""

    def __init__(self, runner: GenerationRunner, store: BatchStore) -> None:
        self._runner = runner
        self._store = store

    async def create(self, command: GenerationBatchCreate) -> GenerationBatch:
        artifact = None if command.artifact_type is None else command.artifact_type.value
        return await self._create(
            command.board_id, command.generator_name, artifact, variations(command), command.idempotency_key
        )

    async def get(self, batch_id: UUID) -> GenerationBatch:
        return GenerationBatch(batch_id=batch_id, items=await self._readable(batch_id))

    async def cancel(self, batch_id: UUID) -> GenerationBatch:
        """Cancel every generation of the batch that still runs (finished ones stay as they are)."""
        items = await self._readable(batch_id)
        return GenerationBatch(batch_id=batch_id, items=[await self._runner.cancel(g.id) for g in items])

    async def regenerate(self, batch_id: UUID) -> GenerationBatch:
        """The same variations again, as a new batch on the same board."""
        items = await self._readable(batch_id)
        first = items[0]
        if is_upload(first.generator_name):
            raise Invalid("uploaded artifacts cannot be regenerated")
        params = [g.input_params for g in items]
        return await self._create(first.board_id, first.generator_name, None, params, None)

    async def _readable(self, batch_id: UUID) -> list[Generation]:
        items = list(await self._store.batch(batch_id))
        if not items:
            raise NotFound("batch not found")
        await self._runner.readable(items[0].id)  # one board per batch: its READ rule decides
        return items

    async def _create(
        self,
        board_id: UUID,
        generator: str,
        artifact: str | None,
        params: list[dict[str, Any]],
        key: str | None,
    ) -> GenerationBatch:
        user_id = await self._runner.authorize(board_id)
        if key is not None:
            done = await self._store.first_of_key(user_id, _item_key(key, 0))
            if done is not None:  # a retry of a batch already made: answer with it, check nothing again
                return await self._existing(done, board_id, generator)
        prepared = [await self._runner.prepare(generator, artifact, p) for p in params]
        await self._runner.check_credits(sum((p.cost for p in prepared), start=Decimal(0)))
        batch_id = uuid.uuid4()
        items: list[Generation] = []
        for index, one in enumerate(prepared):
            item_key = None if key is None else _item_key(key, index)
            generation, created = await self._runner.insert(
                board_id, user_id, generator, one, key=item_key, batch=(batch_id, index)
            )
            if not created:  # a concurrent retry won the race: answer with its batch
                if index > 0:  # keys of another request: refuse (the rollback drops what this one wrote)
                    raise Conflict("this idempotency key was used for a different request")
                return await self._existing(generation, board_id, generator)
            items.append(generation)
        return GenerationBatch(batch_id=batch_id, items=items)

    async def _existing(self, generation: Generation, board_id: UUID, generator: str) -> GenerationBatch:
        if (
            generation.batch_id is None
            or generation.board_id != board_id
            or generation.generator_name != generator
        ):
            raise Conflict("this idempotency key was used for a different request")
        return GenerationBatch(
            batch_id=generation.batch_id, items=list(await self._store.batch(generation.batch_id))
        )
