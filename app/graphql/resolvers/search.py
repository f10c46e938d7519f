"""searchGenerations, generationFacets, saved views and batches: the same services as REST."""

from __future__ import annotations

from typing import Self
from uuid import UUID

import strawberry

from app import contracts
from app.graphql._generated.types import (
    CreateGenerationBatchInput,
    CreateSavedViewInput,
    GenerationBatchFields,
    GenerationFacetsFields,
    GenerationSearchHitFields,
    GenerationSearchInput,
    GenerationSearchResultFields,
    SavedViewFields,
)
from app.graphql.context import Info
from app.graphql.types import Generation


@strawberry.type(name="GenerationSearchHit")
class GenerationSearchHit(GenerationSearchHitFields):
    generation: Generation  # the subclass with relation fields

    @classmethod
    def from_contract(cls, view: contracts.GenerationSearchHit) -> Self:
        hit = super().from_contract(view)
        hit.generation = Generation.from_contract(view.generation)
        return hit


@strawberry.type(name="GenerationSearchResult")
class GenerationSearchResult(GenerationSearchResultFields):
    items: list[GenerationSearchHit]  # type: ignore[assignment]

    @classmethod
    def from_contract(cls, view: contracts.GenerationSearchResult) -> Self:
        hits = [GenerationSearchHit.from_contract(item) for item in view.items]
        return cls(items=hits, next_cursor=view.next_cursor)


@strawberry.type(name="GenerationBatch")
class GenerationBatch(GenerationBatchFields):
    items: list[Generation]  # type: ignore[assignment]

    @classmethod
    def from_contract(cls, view: contracts.GenerationBatch) -> Self:
        return cls(batch_id=view.batch_id, items=[Generation.from_contract(g) for g in view.items])


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Find generations you may read: words, filters, metadata conditions, sorts."
    )
    async def search_generations(self, info: Info, input: GenerationSearchInput) -> GenerationSearchResult:
        found = await info.context.services.search.search(input.to_contract())
        return GenerationSearchResult.from_contract(found)

    @strawberry.field(description="Counts per generator, artifact type, tag, day and week for a search.")
    async def generation_facets(self, info: Info, input: GenerationSearchInput) -> GenerationFacetsFields:
        return GenerationFacetsFields.from_contract(
            await info.context.services.search.facets(input.to_contract())
        )

    @strawberry.field(description="Your saved searches and those shared on boards you may read.")
    async def saved_views(self, info: Info, board_id: UUID | None = None) -> list[SavedViewFields]:
        return [
            SavedViewFields.from_contract(v)
            for v in await info.context.services.saved_views.visible(board_id)
        ]

    @strawberry.field(description="The generations of a batch, in batch order.")
    async def generation_batch(self, info: Info, batch_id: UUID) -> GenerationBatch:
        return GenerationBatch.from_contract(await info.context.services.batches.get(batch_id))


@strawberry.type
class SearchMutations:
    @strawberry.mutation(description="Save a search under a name (optionally shared on a board).")
    async def create_saved_view(self, info: Info, input: CreateSavedViewInput) -> SavedViewFields:
        return SavedViewFields.from_contract(
            await info.context.services.saved_views.create(input.to_contract())
        )

    @strawberry.mutation(description="Delete a saved search.")
    async def delete_saved_view(self, info: Info, id: UUID) -> bool:
        return await info.context.services.saved_views.delete(id)

    @strawberry.mutation(description="Run N variations (count, seeds or a sweep) as one batch.")
    async def create_generation_batch(self, info: Info, input: CreateGenerationBatchInput) -> GenerationBatch:
        return GenerationBatch.from_contract(await info.context.services.batches.create(input.to_contract()))

    @strawberry.mutation(description="Cancel every still-running generation of a batch.")
    async def cancel_generation_batch(self, info: Info, batch_id: UUID) -> GenerationBatch:
        return GenerationBatch.from_contract(await info.context.services.batches.cancel(batch_id))

    @strawberry.mutation(description="Run a batch's variations again, as a new batch.")
    async def regenerate_generation_batch(self, info: Info, batch_id: UUID) -> GenerationBatch:
        return GenerationBatch.from_contract(await info.context.services.batches.regenerate(batch_id))
