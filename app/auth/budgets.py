"""Which rate-limit budget a request spends: `read`, `write` or `create` (starting a generation).

Reads are cheap and clients poll, so they get a large budget of their own; writes a smaller one; creating a
generation (which costs provider money and worker time) the smallest. GraphQL is classified by the operation
the body selects: queries and subscriptions read, mutations write, and createGeneration/regenerate create.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import msgspec
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

Budget = Literal["read", "write", "create"]
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CREATE_FIELDS = frozenset({"createGeneration", "regenerate"})
_REST_CREATE = re.compile(r"^/api/v1/generations(/[^/]+/regenerate)?/?$")
MAX_TOKENS = 5000  # the GraphQL schema's own token limit: a longer document is refused there anyway
GRAPHQL_PATH = "/graphql"


def rest_budget(method: str, path: str) -> Budget:
    if method in READ_METHODS:
        return "read"
    if method == "POST" and _REST_CREATE.match(path):
        return "create"
    return "write"


@lru_cache(maxsize=512)
def _document_budgets(query: str) -> dict[str | None, Budget]:
    """Budget of each operation in a document (cached: clients send the same few documents)."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return {}
    budgets: dict[str | None, Budget] = {}
    for node in document.definitions:
        if not isinstance(node, OperationDefinitionNode):
            continue
        name = node.name.value if node.name else None
        if node.operation is not OperationType.MUTATION:
            budgets[name] = "read"
            continue
        creates = any(
            not isinstance(selection, FieldNode) or selection.name.value in CREATE_FIELDS
            for selection in node.selection_set.selections
        )  # a fragment at the top could hide createGeneration: it counts as one
        budgets[name] = "create" if creates else "write"
    return budgets


def graphql_budget(body: bytes) -> Budget:
    """The budget of a POSTed GraphQL request. What is not a valid operation reads (it is refused with 400
    before touching anything)."""
    try:
        payload = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return "read"
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return "read"
    budgets = _document_budgets(payload["query"])
    name = payload.get("operationName")
    if isinstance(name, str):
        return budgets.get(name, "read")
    if len(budgets) == 1:
        return next(iter(budgets.values()))
    return "read"
