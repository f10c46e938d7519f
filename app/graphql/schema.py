"""The Strawberry schema and its Litestar controller (hidden from OpenAPI, STYLE G7)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.litestar import make_graphql_controller

from app.graphql.context import graphql_context
from app.graphql.errors import ErrorPolicy
from app.graphql.resolvers.boards import BoardMutations, BoardQueries
from app.graphql.resolvers.generations import GenerationMutations, GenerationQueries
from app.graphql.resolvers.members import MemberMutations, MemberQueries
from app.graphql.resolvers.tags import TagMutations, TagQueries
from app.graphql.resolvers.users import UserMutations, UserQueries
from app.settings import Settings

MAX_DEPTH = 12
MAX_TOKENS = 5000
MAX_ALIASES = 30


@strawberry.type
class Query(BoardQueries, GenerationQueries, TagQueries, MemberQueries, UserQueries):
    """Every query field; each context contributes a mixin."""


@strawberry.type
class Mutation(BoardMutations, GenerationMutations, TagMutations, MemberMutations, UserMutations):
    """Every mutation field; each context contributes a mixin."""


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        ErrorPolicy,
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
    ],
)


def make_graphql_controller_for(settings: Settings) -> Any:
    """The /graphql controller (GraphiQL when settings.graphql_ide)."""
    base: Any = make_graphql_controller(
        schema,
        path="/graphql",
        context_getter=graphql_context,
        graphql_ide="graphiql" if settings.graphql_ide else None,
        allow_queries_via_get=True,
    )

    class GraphQLController(base):
        include_in_schema = False

    return GraphQLController
