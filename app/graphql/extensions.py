"""Schema extensions that make every transport (GET, POST, graphql-ws, graphql-transport-ws) behave alike.

They run inside Strawberry's `Schema.execute`/`subscribe`, so nothing depends on which view handler or
protocol carried the operation (issue 16: an extension added here can never skip a transport):

- `UnitOfWork` opens the operation's database connection once the operation is known to be valid and within
  budget: a query reads in autocommit (no BEGIN/COMMIT round trips, nothing for the HTTP unit of work to
  commit), a mutation in a transaction that the HTTP unit of work or the websocket's `end_unit_of_work`
  commits and the `ErrorPolicy` rolls back on error.
  It also counts and times each operation (Prometheus) and spans its execution (OpenTelemetry).
- `CachedDocuments` is the one document cache: each distinct document text is parsed and validated once
  (Strawberry skips its own validation when an extension has set the result), keyed by the text, so no
  request hashes a whole AST as the ParserCache + ValidationCache pair did.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLError, OperationDefinitionNode, parse
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.db.transactions import READ_ONLY, nothing_to_commit
from app.platform import tracing
from app.platform.metrics import observe_graphql

_CONNECTED = (OperationType.QUERY, OperationType.MUTATION)  # a subscription manages its own sessions


class UnitOfWork(SchemaExtension):
    """Metrics and a span per operation (never the document: it may hold user data); and the context's
    session connected before any resolver runs: sibling fields resolve concurrently, and an
    AsyncSession refuses two tasks that both try to provision its first connection (a 500 on
    `{ me { id } tags { id } }`). Listed after the cost check, so a refused operation takes no connection."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        session = getattr(execution.context, "session", None)
        kind = execution.operation_type
        if session is not None and kind in _CONNECTED and reads_data(execution):
            read_only = kind is OperationType.QUERY
            await session.connection(execution_options=READ_ONLY if read_only else None)
            request = getattr(execution.context, "request", None)
            if read_only and request is not None:
                nothing_to_commit(request.scope)
        name, described = describe(execution)
        attributes = {"graphql.operation.name": name or "anonymous", "graphql.operation.type": described}
        with tracing.span(f"graphql {described} {name or 'anonymous'}", attributes):
            yield

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        execution = self.execution_context
        name, kind = describe(execution)
        result = execution.result
        ok = result is not None and not result.errors
        observe_graphql(name, kind, time.perf_counter() - started, ok=ok)


@dataclass(slots=True)
class _Entry:
    document: DocumentNode
    errors: list[GraphQLError] | None = None  # None until validated


class DocumentCache:
    """Parsed and validated documents of one schema (its validation rules are fixed), by text; the oldest
    entry goes first once `maxsize` texts are held. A text that does not parse is never held."""

    def __init__(self, maxsize: int, max_tokens: int) -> None:
        self.maxsize = maxsize
        self.max_tokens = max_tokens  # as MaxTokensLimiter parses
        self.entries: dict[str, _Entry] = {}

    def operation_count(self, query: str) -> int:
        """How many operations the text defines (0 when it does not parse: Strawberry reports that); the
        document parsed here is the one the operation then runs."""
        entry = self.get(query)
        if entry is None:
            try:
                document = parse(query, max_tokens=self.max_tokens)
            except GraphQLError:
                return 0
            entry = self.put(query, document)
        return sum(isinstance(node, OperationDefinitionNode) for node in entry.document.definitions)

    def get(self, query: str | None) -> _Entry | None:
        return self.entries.get(query) if query else None

    def put(self, query: str, document: DocumentNode) -> _Entry:
        entries = self.entries
        if len(entries) >= self.maxsize:
            del entries[next(iter(entries))]
        entry = entries[query] = _Entry(document)
        return entry


class CachedDocuments(SchemaExtension):
    """Hands Strawberry the cached document (parsing is skipped when graphql_document is set) and the cached
    validation result (validation is skipped when pre_execution_errors is set)."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        entry = self.cache.get(execution.query)
        if entry is not None:
            execution.graphql_document = entry.document
        yield
        if entry is None and execution.query and execution.graphql_document is not None:
            self.cache.put(execution.query, execution.graphql_document)

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        entry = self.cache.get(execution.query)
        cached = entry is not None and entry.document is execution.graphql_document
        if cached and entry is not None and entry.errors is not None:
            execution.pre_execution_errors = list(entry.errors)
        yield
        if cached and entry is not None and entry.errors is None:
            entry.errors = list(execution.pre_execution_errors or ())


def reads_data(execution: Any) -> bool:
    """Whether the operation selects more than meta fields at its root (`{ __typename }`, introspection):
    those answer from the schema alone and take no connection."""
    name = execution.operation_name
    for node in execution.graphql_document.definitions:
        if isinstance(node, OperationDefinitionNode) and (
            name is None or (node.name and node.name.value == name)
        ):
            selections = node.selection_set.selections
            return not all(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in selections)
    return True


def describe(execution: Any) -> tuple[str | None, str]:
    """(operation name, type) of a parsed operation; ("invalid", "unknown") before or without one."""
    if execution.graphql_document is None:
        return "invalid", "unknown"
    try:
        kind = execution.operation_type.value
    except RuntimeError:  # no operation of that name
        return "invalid", "unknown"
    return execution.operation_name, kind
