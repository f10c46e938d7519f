"""POST /graphql on a short path: parse and validate once per document text, then execute with graphql-core.

Strawberry's HTTP view and `Schema.execute` build, per request, an execution context, one instance of
every schema extension, an extension runner with a context manager per phase and a middleware manager;
and Litestar resolved its four dependencies in task groups. For `{ __typename }` that machinery was most of
the request's CPU. This pipeline keeps the same rules and the same answers with none of it:

- a document is parsed (token limit) and validated (the spec's rules, depth, aliases, introspection when
  off, and Strawberry's own two) ONCE per distinct text, in an LRU; the errors of a bad one are cached too;
- it runs on Strawberry's schema with the FastLeafExecutor, so resolvers, permissions and field extensions
  behave exactly as under Strawberry;
- errors get the same codes, masking and rollback (app.graphql.errors).

GET (queries and GraphiQL) and subscriptions stay on Strawberry's view, with the same rules as extensions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from inspect import isawaitable
from typing import Any

import msgspec
import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import validate_document
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from app.domain.actor import Actor
from app.graphql.cost import CostModel
from app.graphql.errors import code_request_errors, settle_errors
from app.graphql.execution import FastLeafExecutor
from app.graphql.timeouts import QUERY_TIMEOUT, roll_back, timeout_message

POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


_ENCODER = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class RunLimits:
    """Bounds on one execution: wall time and the size of the answer."""

    timeout_seconds: float = 15.0
    max_response_bytes: int = 8 * 1024 * 1024


def refusal(message: str, code: str) -> dict[str, Any]:
    return {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}


class RequestError(Exception):
    """A request that is not a GraphQL operation at all: the controller answers 400 with this detail."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document text, parsed and validated; shared by every request that sends the same text."""

    document: DocumentNode | None
    errors: list[GraphQLError] = field(default_factory=list)
    operations: dict[str | None, OperationType] = field(default_factory=dict)

    def operation_type(self, name: str | None) -> OperationType:
        if name is None and len(self.operations) == 1:
            return next(iter(self.operations.values()))
        found = self.operations.get(name) if name is not None else None
        if found is None:
            raise RequestError(CannotGetOperationTypeError(name).as_http_error_reason())
        return found


def validation_rules(limit_rules: list[type[ASTValidationRule]], *, introspection: bool) -> tuple[Any, ...]:
    """The rules Strawberry's extensions add to the spec's (QueryLimits, DisableIntrospection)."""
    extra = [] if introspection else [NoSchemaIntrospectionCustomRule]
    return (*specified_rules, *limit_rules, *extra)


class Pipeline:
    """Parse/validate cache and execution for one schema."""

    def __init__(
        self,
        schema: strawberry.Schema,
        rules: tuple[type[ASTValidationRule], ...],
        *,
        max_tokens: int,
        cache_size: int,
        cost: CostModel | None = None,
        limits: RunLimits | None = None,
    ) -> None:
        self._schema = schema
        self._cost = cost
        self._limits = limits or RunLimits()
        self._rules = rules
        self._max_tokens = max_tokens
        self.prepare: Callable[[str], Prepared] = lru_cache(maxsize=cache_size)(self._prepare)

    def _prepare(self, query: str) -> Prepared:
        try:
            document = parse(query, max_tokens=self._max_tokens)
        except GraphQLError as error:
            code_request_errors([error])
            return Prepared(None, [error])
        errors = validate_document(self._schema._schema, document, self._rules)
        if errors:
            code_request_errors(errors)
            return Prepared(None, errors)
        operations = {
            (node.name.value if node.name else None): node.operation
            for node in document.definitions
            if isinstance(node, OperationDefinitionNode)
        }
        return Prepared(document, operations=operations)

    def describe(self, payload: object) -> tuple[str | None, str]:
        """The operation a payload selects, as (name, type) for metrics and traces; never raises
        (a bad payload is ("invalid", "unknown"), answered by run())."""
        query = payload.get("query") if isinstance(payload, dict) else None
        name = payload.get("operationName") if isinstance(payload, dict) else None
        if not isinstance(query, str) or not query or not isinstance(name, str | None):
            return "invalid", "unknown"
        prepared = self.prepare(query)
        if prepared.document is None:
            return "invalid", "unknown"
        if name is None and len(prepared.operations) == 1:
            name = next(iter(prepared.operations))
        found = prepared.operations.get(name)
        return name, found.value if found is not None else "unknown"

    async def run(
        self,
        payload: object,
        make_context: Callable[[OperationType], Awaitable[Any]],
        *,
        actor: Actor | None = None,
    ) -> dict[str, Any]:
        """The response body for one POSTed operation; RequestError when the payload is not one. The
        context is made once the operation is known to be valid and within the actor's cost budget (with
        its type: queries only read)."""
        if not isinstance(payload, dict):
            raise RequestError("The request body must be a JSON object with a `query`.")
        query, variables = payload.get("query"), payload.get("variables")
        name, extensions = payload.get("operationName"), payload.get("extensions")
        if not isinstance(query, str) or not query:
            raise RequestError("No GraphQL query found in the request")
        if not isinstance(variables, dict | None):
            raise RequestError("The GraphQL operation's `variables` must be an object or null, if provided.")
        if not isinstance(name, str | None):
            raise RequestError(
                "The GraphQL operation's `operationName` must be a string or null, if provided."
            )
        if not isinstance(extensions, dict | None):
            raise RequestError("The GraphQL operation's `extensions` must be an object or null, if provided.")
        prepared = self.prepare(query)
        if prepared.document is None:
            return {"data": None, "errors": [error.formatted for error in prepared.errors]}
        operation_type = prepared.operation_type(name)
        if operation_type not in POST_OPERATIONS:
            refused = InvalidOperationTypeError(StrawberryOperationType(operation_type.value))
            raise RequestError(refused.as_http_error_reason("POST"))
        if self._cost is not None:
            too_costly = self._cost.check(prepared.document, name, variables, actor)
            if too_costly is not None:
                return {"data": None, "errors": [too_costly.formatted]}
        context = await make_context(operation_type)
        try:
            async with asyncio.timeout(self._limits.timeout_seconds):
                return await self._execute(prepared.document, context, variables, name, extensions)
        except TimeoutError:
            await roll_back(context)
            return refusal(timeout_message(self._limits.timeout_seconds), QUERY_TIMEOUT)

    async def _execute(
        self,
        document: DocumentNode,
        context: Any,
        variables: dict[str, Any] | None,
        name: str | None,
        extensions: dict[str, Any] | None,
    ) -> dict[str, Any]:
        result = execute(
            self._schema._schema,
            document,
            context_value=context,
            variable_values=variables,
            operation_name=name,
            executor_class=FastLeafExecutor,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
            operation_extensions=extensions,
        )
        if isawaitable(result):
            result = await result
        return await self.body(ExecutionResult(data=result.data, errors=result.errors), context)

    def encode(self, body: dict[str, Any]) -> bytes:
        """The JSON answer; one over the size cap is replaced by a RESPONSE_TOO_LARGE error."""
        encoded = _ENCODER.encode(body)
        if len(encoded) > self._limits.max_response_bytes:
            message = (
                f"The response would be {len(encoded)} bytes, over the limit of "
                f"{self._limits.max_response_bytes}: ask for fewer fields or smaller pages."
            )
            encoded = _ENCODER.encode(refusal(message, "RESPONSE_TOO_LARGE"))
        return encoded

    @staticmethod
    async def body(result: ExecutionResult, context: Any) -> dict[str, Any]:
        if not result.errors:
            return {"data": result.data}
        errors = await settle_errors(result.errors, getattr(context, "session", None))
        return {"data": result.data, "errors": [error.formatted for error in errors]}
