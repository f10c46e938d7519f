"""The Strawberry schema and its Litestar controller (hidden from OpenAPI, STYLE G7).

Hardening: query depth, token and alias limits; parsed and validated documents are cached (LRU), so a
client's repeated operations skip parsing and validation; introspection can be switched off.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import msgspec
import strawberry
from graphql import GraphQLError, OperationType
from litestar import Request, Response, post
from litestar.background_tasks import BackgroundTasks
from litestar.di import Provide
from litestar.enums import MediaType
from litestar.exceptions import ClientException
from litestar.status_codes import HTTP_200_OK
from litestar.types import Dependencies
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.litestar import make_graphql_controller
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types import ExecutionContext
from strawberry.types.unset import UnsetType

from app.graphql.context import GraphQLContext, authenticate_init_payload, build_context, graphql_context
from app.graphql.errors import ErrorPolicy, code_request_errors
from app.graphql.execution import FastLeafExecutor
from app.graphql.pipeline import Pipeline, RequestError, validation_rules
from app.graphql.resolvers.boards import BoardMutations, BoardQueries
from app.graphql.resolvers.direct_uploads import DirectUploadMutations
from app.graphql.resolvers.generations import GenerationMutations, GenerationQueries, RunMutations, RunQueries
from app.graphql.resolvers.members import MemberMutations, MemberQueries
from app.graphql.resolvers.subscriptions import Subscriptions
from app.graphql.resolvers.tags import TagMutations, TagQueries
from app.graphql.resolvers.uploads import UploadMutations
from app.graphql.resolvers.users import UserMutations, UserQueries
from app.settings import Settings

MAX_DEPTH = 12
MAX_TOKENS = 5000
MAX_ALIASES = 30
DOCUMENT_CACHE = 1024
_JSON_ENCODER = msgspec.json.Encoder()


@strawberry.type
class Query(BoardQueries, GenerationQueries, RunQueries, TagQueries, MemberQueries, UserQueries):
    """Every query field; each context contributes a mixin."""


@strawberry.type
class Mutation(
    BoardMutations,
    GenerationMutations,
    RunMutations,
    TagMutations,
    MemberMutations,
    UserMutations,
    DirectUploadMutations,
    UploadMutations,
):
    """Every mutation field; each context contributes a mixin."""


class AtelierSchema(strawberry.Schema):
    """Errors that never reach execution (syntax, validation) get their code here: Strawberry returns them
    before any operation hook sees a result. Expected errors are not logged (STYLE S-GQL3)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        code_request_errors(errors)


# The limiters' validation rules, built ONCE: each QueryDepthLimiter/MaxAliasesLimiter instance makes a new
# rule class, and ValidationCache keys on the rules, so per-request instances would never hit the cache
# (measured: validation ran on every request).
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class QueryLimits(AddValidationRules):
    """Depth and alias limits with stable rule classes, so validated documents stay cached."""

    def __init__(self) -> None:
        super().__init__(LIMIT_RULES)


@strawberry.type
class Subscription(Subscriptions):
    """Every subscription field."""


class CachedNameConverter(NameConverter):
    """Strawberry camel-cases every argument and input field name again on every request (profiled: a tenth
    of createGeneration's GraphQL CPU); the names are the schema's, a fixed set, so they are remembered."""

    def __init__(self) -> None:
        super().__init__(auto_camel_case=True)
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = super().apply_naming_config(name)
        return found


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[Any] = [
        ErrorPolicy,
        QueryLimits,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=DOCUMENT_CACHE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return AtelierSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=FastLeafExecutor,
        config=StrawberryConfig(name_converter=CachedNameConverter()),
    )


schema = build_schema()  # the full schema, for SDL export and tools


async def _response_holder() -> Response[Any]:
    """What Strawberry's resolvers may set headers, cookies and background tasks on."""
    return Response({}, background=BackgroundTasks([]))


def make_graphql_controller_for(settings: Settings) -> Any:
    """The /graphql controller: POST through app.graphql.pipeline; GET (GraphiQL when settings.graphql_ide)
    and websocket subscriptions through Strawberry's view. Introspection per settings, on both paths."""
    served = schema if settings.graphql_introspection else build_schema(introspection=False)
    pipeline = Pipeline(
        served,
        validation_rules(LIMIT_RULES, introspection=settings.graphql_introspection),
        max_tokens=MAX_TOKENS,
        cache_size=DOCUMENT_CACHE,
    )
    base: Any = make_graphql_controller(
        served,
        path="/graphql",
        context_getter=graphql_context,
        graphql_ide="graphiql" if settings.graphql_ide else None,
        allow_queries_via_get=True,
    )

    class GraphQLController(base):
        include_in_schema = False
        # Strawberry provides its per-request Response through a worker thread (sync_to_thread=True): a thread
        # hop on every request for a constructor call. Profiled at ~0.5 ms of CPU per request; made inline.
        dependencies: ClassVar[Dependencies] = {**base.dependencies, "response": Provide(_response_holder)}

        @post(status_code=HTTP_200_OK)
        async def handle_http_post(self, request: Request[Any, Any, Any]) -> Response[bytes]:
            """Replaces Strawberry's POST handler (same name): no dependencies, no per-request extensions."""
            if "application/json" not in request.content_type[0]:
                raise ClientException("Unsupported content type")
            try:
                payload = msgspec.json.decode(await request.body())
            except msgspec.DecodeError as exc:
                raise ClientException("Unable to parse request body as JSON") from exc

            async def make_context(operation: OperationType) -> GraphQLContext:
                state = request.app.state
                session = state.alchemy.provide_session(state, request.scope)
                context = await build_context(request, session, read_only=operation is OperationType.QUERY)
                context.request = request
                return context

            try:
                body = await pipeline.run(payload, make_context)
            except RequestError as exc:
                raise ClientException(str(exc)) from exc
            return Response(_JSON_ENCODER.encode(body), media_type=MediaType.JSON)

        async def on_ws_connect(self, context: GraphQLContext) -> UnsetType | dict[str, object] | None:
            """graphql-ws connection_init credentials ({"authorization": "Bearer …"} or {"token": …})
            replace the handshake's (anonymous, or ?token=): browsers cannot set websocket headers."""
            await authenticate_init_payload(context)
            return UnsetType()  # a plain connection_ack

        def encode_json(self, data: object) -> str:
            # msgspec, not the stdlib: a 50-generation GetBoard answer took 1.3 ms to encode with json.dumps.
            # A str, not bytes: the same method frames websocket messages, which must be text.
            return _JSON_ENCODER.encode(data).decode()

        def decode_json(self, data: str | bytes) -> object:
            try:
                return msgspec.json.decode(data)
            except msgspec.DecodeError as exc:  # Strawberry turns JSONDecodeError into its 400 answer
                raise json.JSONDecodeError(str(exc), "", 0) from exc

    return GraphQLController
