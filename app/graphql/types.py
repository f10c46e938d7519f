"""GraphQL object types: the generated data fields plus hand-written relation resolvers."""

from __future__ import annotations

import strawberry

from app.graphql._generated.types import BoardFields


@strawberry.type(name="Board")
class Board(BoardFields):
    """A board. Relation fields (owner, members, generations, generationCount) arrive with their DataLoaders."""
