"""The Strawberry schema and its Litestar controller (hidden from OpenAPI, STYLE G7).

Hardening: query depth, token and alias limits; parsed and validated documents are cached
(app.graphql.extensions.CachedDocuments), so a client's repeated operations skip parsing and validation;
introspection can be switched off. GET, POST and websockets all run through this schema and its extensions.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from typing import Any, ClassVar

import msgspec
import strawberry
from cross_web import HTTPException as StrawberryHTTPException
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    ValidationContext,
    Visitor,
    visit,
)
from litestar import Request, Response
from litestar.background_tasks import BackgroundTasks
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.types import Dependencies
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.litestar import make_graphql_controller
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StreamResult
from strawberry.types import ExecutionContext
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType
from strawberry.types.unset import UnsetType

from app.graphql.context import GraphQLContext, authenticate_init_payload, graphql_context
from app.graphql.cost import CostLimit, CostLimits, CostModel
from app.graphql.errors import ErrorPolicy, code_request_errors
from app.graphql.execution import fast_schema
from app.graphql.extensions import CachedDocuments, DocumentCache, UnitOfWork
from app.graphql.resolvers.admin import AdminMutations, AdminQueries
from app.graphql.resolvers.boards import BoardMutations, BoardQueries
from app.graphql.resolvers.direct_uploads import DirectUploadMutations
from app.graphql.resolvers.generations import GenerationMutations, GenerationQueries, RunMutations, RunQueries
from app.graphql.resolvers.instance import InstanceMutations, InstanceQueries
from app.graphql.resolvers.members import MemberMutations, MemberQueries
from app.graphql.resolvers.search import SearchMutations, SearchQueries
from app.graphql.resolvers.subscriptions import Subscriptions
from app.graphql.resolvers.tags import TagMutations, TagQueries
from app.graphql.resolvers.uploads import UploadMutations
from app.graphql.resolvers.users import UserMutations, UserQueries
from app.graphql.timeouts import bounded_stream, is_subscription, roll_back, timeout_result
from app.settings import Settings

MAX_DEPTH = 12
MAX_TOKENS = 5000
MAX_ALIASES = 30
DOCUMENT_CACHE = 1024
_JSON_ENCODER = msgspec.json.Encoder()
DEFAULT_ALLOWED = frozenset(StrawberryOperationType)


@strawberry.type
class Query(
    BoardQueries,
    GenerationQueries,
    RunQueries,
    TagQueries,
    MemberQueries,
    UserQueries,
    AdminQueries,
    InstanceQueries,
    SearchQueries,
):
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
    AdminMutations,
    InstanceMutations,
    SearchMutations,
):
    """Every mutation field; each context contributes a mixin."""


class AtelierSchema(strawberry.Schema):
    """Errors that never reach execution (syntax, validation) get their code here: Strawberry returns them
    before any operation hook sees a result. Expected errors are not logged (STYLE S-GQL3).

    With `run_timeout_seconds`, every operation is bounded: GET and POST (`execute`), websocket operations
    (`stream`; app.graphql.timeouts)."""

    run_timeout_seconds: float | None = None
    documents: DocumentCache | None = None  # the one document cache (its CachedDocuments extension's)

    async def execute(  # noqa: PLR0917 (Strawberry's signature)
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[StrawberryOperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        documents = self.documents
        if operation_name is None and query and documents and documents.operation_count(query) > 1:
            raise CannotGetOperationTypeError(None)  # the spec's GetOperation; Strawberry would run the first
        # `execute` runs queries and mutations; a subscription over HTTP is refused (400), as over GET
        allowed = set(allowed_operation_types or DEFAULT_ALLOWED) - {StrawberryOperationType.SUBSCRIPTION}
        run = super().execute(
            query, variable_values, context_value, root_value, operation_name,
            allowed, operation_extensions,
        )  # fmt: skip
        seconds = self.run_timeout_seconds
        if seconds is None:
            return await run
        try:
            async with asyncio.timeout(seconds):
                return await run
        except TimeoutError:
            await roll_back(context_value)
            return timeout_result(seconds)

    async def stream(  # noqa: PLR0917 (Strawberry's signature)
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[StrawberryOperationType] | None = None,
    ) -> StreamResult:
        source = await super().stream(
            query, variable_values, context_value, root_value, operation_name,
            operation_extensions, allowed_operation_types,
        )  # fmt: skip
        if is_subscription(query, operation_name):
            return source  # a subscription bounds its own steps and releases its session (resolvers)
        return bounded_stream(source, self.run_timeout_seconds, context_value)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        code_request_errors(errors)


# The limiters' validation rules, built ONCE: each QueryDepthLimiter/MaxAliasesLimiter instance makes a new
# rule class; the schema's rules are fixed, which is what lets CachedDocuments cache validation by text.
def defined_fragments_only(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """The rule, run only on documents whose every spread names a defined fragment: Strawberry's depth
    rule looks fragments up without checking (KeyError, a 500), and the spec's KnownFragmentNamesRule
    already reports the undefined one."""

    class Guarded(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            defined = {
                node.name.value for node in document.definitions if isinstance(node, FragmentDefinitionNode)
            }
            if all(spread.name.value in defined for spread in _spreads(document)):
                rule(context)

    return Guarded


def _spreads(document: DocumentNode) -> list[FragmentSpreadNode]:
    found: list[FragmentSpreadNode] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
            found.append(node)

    visit(document, Spreads())
    return found


LIMIT_RULES = [
    *(defined_fragments_only(rule) for rule in QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules),
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


def build_schema(
    *,
    introspection: bool = True,
    cost: CostModel | None = None,
    max_response_bytes: int | None = None,
    timeout_seconds: float | None = None,
) -> strawberry.Schema:
    """The schema with its rules; with `cost`, operations over budget are refused before execution (the
    model is bound to this schema here)."""
    documents = DocumentCache(DOCUMENT_CACHE, MAX_TOKENS)  # per schema: its rules are part of the answer
    extensions: list[Any] = [
        ErrorPolicy,
        QueryLimits,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: CachedDocuments(documents),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    if cost is not None:
        extensions.append(lambda: CostLimit(cost, max_response_bytes))
    extensions.append(UnitOfWork)
    built = fast_schema(
        schema_class=AtelierSchema,
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(name_converter=CachedNameConverter()),
    )
    built.run_timeout_seconds = timeout_seconds
    built.documents = documents
    if cost is not None:
        cost.bind(built)
    return built


schema = build_schema()  # the full schema, for SDL export and tools


async def _response_holder() -> Response[Any]:
    """What Strawberry's resolvers may set headers, cookies and background tasks on."""
    return Response({}, background=BackgroundTasks([]))


async def _no_root_value(response: Response[Any]) -> None:
    """No root value. It takes the response only to order the dependencies (below)."""


async def _http_context(
    request: Request[Any, Any, Any], response: Response[Any], root_value: None
) -> GraphQLContext:
    """The HTTP handlers' context: ours, with the request and response Strawberry's context carries. With
    response → root value → context as one chain, Litestar resolves the handler's dependencies one after
    another; Strawberry's own (independent) ones ran in a task group, three tasks per request."""
    context = await graphql_context(request)
    context.request, context.response = request, response
    return context


def make_graphql_controller_for(settings: Settings) -> Any:
    """The /graphql controller: Strawberry's view for GET (GraphiQL when settings.graphql_ide), POST and both
    websocket protocols, all through the one schema and its extensions. Introspection per settings."""
    cost = CostModel(
        CostLimits(authenticated=settings.graphql_max_cost, anonymous=settings.graphql_max_cost_anonymous)
    )
    served = build_schema(
        introspection=settings.graphql_introspection,
        cost=cost,
        max_response_bytes=settings.graphql_max_response_bytes,
        timeout_seconds=settings.graphql_timeout_seconds,
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
        dependencies: ClassVar[Dependencies] = {
            **base.dependencies,
            "response": Provide(_response_holder),
            "context": Provide(_http_context),
            "root_value": Provide(_no_root_value),
        }

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Any, root_value: Any
        ) -> Response[Any]:
            """Strawberry answers a request that is not an operation (bad JSON, no query, a subscription
            over HTTP) with a text/plain 400; re-raised as Litestar's, it gets the RFC 9457 problem body
            every other 4xx of the API has."""
            try:
                response: Response[Any] = await self.run(request, context=context, root_value=root_value)
                return response
            except StrawberryHTTPException as exc:
                raise HTTPException(status_code=exc.status_code, detail=exc.reason) from None

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
            except (
                msgspec.DecodeError,
                RecursionError,
            ) as exc:  # Strawberry answers JSONDecodeError with 400
                raise json.JSONDecodeError(str(exc), "", 0) from exc

    return GraphQLController
