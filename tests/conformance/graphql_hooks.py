"""Schemathesis hooks for the GraphQL run (loaded by `st` through the config's `hooks`).

Atelier's GraphQL errors carry a machine-readable `extensions.code` (NOT_FOUND, FORBIDDEN, CONFLICT,
BAD_USER_INPUT, ...), the convention Apollo and the Boards client use; schemathesis' built-in check counts
every resolver error without a code it knows as a server failure. This check keeps what that one is for:
no HTTP 5xx and no error that is internal (code INTERNAL_SERVER_ERROR, or no code at all).
"""

from __future__ import annotations

from typing import Any

import graphql
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

EXPECTED_CODES = {
    "BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "CONFLICT", "PAYMENT_REQUIRED",
    "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "URL_NOT_ALLOWED", "URL_FETCH_FAILED",
    "INVALID_FILENAME", "GRAPHQL_VALIDATION_FAILED",
    # the run limits (app/graphql/cost.py): an operation costing more than the budget, an answer over the cap
    "QUERY_TOO_COMPLEX", "RESPONSE_TOO_LARGE",
}  # fmt: skip

# The JSON scalar takes any value; generated as small objects (GraphQL object literals).
schemathesis.graphql.scalar(
    "JSON",
    st.dictionaries(st.sampled_from(["a", "b", "seed"]), st.integers(0, 9).map(nodes.Int), max_size=2).map(
        lambda fields: nodes.Object(
            [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in fields.items()]
        )
    ),
)


@schemathesis.check
def graphql_errors_are_coded(ctx: Any, response: Any, case: Any) -> None:
    """Every GraphQL error names its cause with a client-side code; nothing is internal."""
    assert response.status_code < 500, f"HTTP {response.status_code}"
    errors = (response.json() or {}).get("errors") or []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        assert code in EXPECTED_CODES, f"uncoded or internal GraphQL error: {error}"
