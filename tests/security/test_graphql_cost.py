"""GraphQL cost is bounded before execution (issue 14, class 2): nested lists multiply by their page size,
and an operation over the caller's budget is refused with QUERY_TOO_COMPLEX on POST, GET and websockets."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import parse

from app.graphql.cost import CostLimits, CostModel, operation_cost
from app.graphql.schema import schema
from app.server import create_app
from app.settings import Settings
from tests.conftest import running, sign_up


def nested(k: int | str) -> str:
    return (
        "{ publicBoards(limit: 1) { generations(limit: K) { board { generations(limit: K) "
        "{ board { generations(limit: K) { id } } } } } } }"
    ).replace("K", str(k))


def cost_of(query: str, variables: dict[str, Any] | None = None) -> int:
    model = CostModel(CostLimits())
    model.bind(schema)
    assert model.schema is not None
    return operation_cost(model.schema, parse(query), None, variables)


def test_lists_multiply_by_their_page_size() -> None:
    assert cost_of("{ me { id } }") == 2
    assert cost_of("{ myBoards(limit: 3) { id title } }") == 1 + 3 * 2
    assert cost_of("{ myBoards { id } }") == 1 + 50  # the argument's default
    assert cost_of("query($n: Int) { myBoards(limit: $n) { id } }", {"n": 7}) == 1 + 7
    assert cost_of("query($n: Int = 4) { myBoards(limit: $n) { id } }") == 1 + 4
    assert cost_of("{ feed(first: 5) { items { id } } }") == 1 + 5 * (1 + 10)
    # a fragment is costed where it is spread
    fragment = "fragment F on Board { id generations(limit: 2) { id } } { myBoards(limit: 3) { ...F } }"
    assert cost_of(fragment) == 1 + 3 * (1 + 1 + 2)
    assert cost_of(nested(80)) > 500_000


async def public_board_with_generations(http: httpx.AsyncClient, engine: Any, count: int) -> dict[str, Any]:
    from tests.conftest import seed_generations

    owner = await sign_up(http, "owner@example.com")
    board = await http.post(
        "/api/v1/boards", json={"title": "Open", "isPublic": True}, headers=owner["headers"]
    )
    assert board.status_code == 201, board.text
    await seed_generations(engine, board.json()["id"], str(owner["id"]), count)
    return owner


async def test_anonymous_nested_lists_are_refused_on_post_and_get(
    local_http: httpx.AsyncClient, engine: Any
) -> None:
    await public_board_with_generations(local_http, engine, 5)
    posted = (await local_http.post("/graphql", json={"query": nested(80)})).json()
    assert posted["data"] is None
    assert posted["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    got = (await local_http.get("/graphql", params={"query": nested(80)})).json()
    assert got["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # small pages of the same shape run
    small = (await local_http.post("/graphql", json={"query": nested(2)})).json()
    assert "errors" not in small, small
    assert len(small["data"]["publicBoards"][0]["generations"]) == 2


async def test_page_sizes_in_variables_count(local_http: httpx.AsyncClient, engine: Any) -> None:
    await public_board_with_generations(local_http, engine, 3)
    query = nested("$k").replace("{ publicBoards", "query Q($k: Int) { publicBoards", 1)
    big = (await local_http.post("/graphql", json={"query": query, "variables": {"k": 80}})).json()
    assert big["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    got = (await local_http.get("/graphql", params={"query": query, "variables": '{"k": 80}'})).json()
    assert got["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    small = (await local_http.post("/graphql", json={"query": query, "variables": {"k": 2}})).json()
    assert "errors" not in small, small


async def test_signed_in_callers_have_a_larger_budget(local_http: httpx.AsyncClient, engine: Any) -> None:
    owner = await public_board_with_generations(local_http, engine, 3)
    query = "{ publicBoards(limit: 100) { generations(limit: 100) { id } } }"  # costs 10,101
    anonymous = (await local_http.post("/graphql", json={"query": query})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    signed_in = (await local_http.post("/graphql", json={"query": query}, headers=owner["headers"])).json()
    assert "errors" not in signed_in, signed_in


@pytest.mark.parametrize("path", ["post", "get"])
async def test_undefined_fragment_is_a_validation_error(client: httpx.AsyncClient, path: str) -> None:
    query = "{ myBoards { ...Missing } }"
    if path == "post":
        response = await client.post("/graphql", json={"query": query})
    else:
        response = await client.get("/graphql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_answers_over_the_size_cap_are_refused_on_post_and_get(settings: Settings) -> None:
    small = settings.model_copy(update={"graphql_max_response_bytes": 1024, "worker_in_process": False})
    query = "{ generators { name description inputSchema } }"
    async with (
        running(create_app(small)) as application,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://a.test") as http,
    ):
        posted = (await http.post("/graphql", json={"query": query})).json()
        got = (await http.get("/graphql", params={"query": query})).json()
        fits = (await http.post("/graphql", json={"query": "{ __typename }"})).json()
    assert posted["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert got["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert fits == {"data": {"__typename": "Query"}}
