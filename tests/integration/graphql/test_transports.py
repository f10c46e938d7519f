"""GET, POST and the websockets all run through Strawberry's view and schema: same rules, same answers."""

from __future__ import annotations

import json

import httpx
import pytest

# Queries (GET may run them too): valid ones, invalid ones, and every limit the rules enforce.
SAME_ANSWER = [
    "{ __typename }",
    "{ me { id displayName } myBoards { id title } }",
    "query Named { tags { id } }",
    "{ nope }",  # validation
    "{ myBoards { id }",  # syntax
    '{ board(id: "not-a-uuid") { id } }',  # scalar parsing
    "{ " + " ".join(f"b{i}: myBoards {{ id }}" for i in range(40)) + " }",  # aliases
    "{ myBoards " + "{ owner { boards " * 7 + "{ id }" + " } }" * 7 + " }",  # depth
    "{ " + "a " * 5100 + "}",  # tokens
]


@pytest.mark.parametrize("query", SAME_ANSWER, ids=range(len(SAME_ANSWER)))
async def test_post_answers_like_strawberrys_get(client: httpx.AsyncClient, query: str) -> None:
    posted = await client.post("/graphql", json={"query": query})
    got = await client.get("/graphql", params={"query": query})
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json()


async def test_variables_and_operation_name_pick_the_operation(client: httpx.AsyncClient) -> None:
    document = "query A { __typename } query B($n: Int) { myBoards(limit: $n) { id } }"
    body = {"query": document, "operationName": "B", "variables": {"n": 1}}
    assert (await client.post("/graphql", json=body)).json() == {"data": {"myBoards": []}}
    bad_variable = {**body, "variables": {"n": "one"}}
    errors = (await client.post("/graphql", json=bad_variable)).json()["errors"]
    assert errors[0]["extensions"]["code"] in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize(
    ("content", "content_type", "detail"),
    [
        (b"{not json", "application/json", "Unable to parse request body as JSON"),
        (json.dumps({"variables": {}}).encode(), "application/json", "No GraphQL query found in the request"),
        (json.dumps(["{ __typename }"]).encode(), "application/json", "Batching is not enabled"),
        (
            json.dumps({"query": "{ __typename }", "variables": [1]}).encode(),
            "application/json",
            "`variables`",
        ),
        (
            json.dumps({"query": "query A { __typename } query B { __typename }"}).encode(),
            "application/json",
            "Can't get GraphQL operation type",
        ),
        (
            json.dumps({"query": "{ __typename }", "operationName": "X"}).encode(),
            "application/json",
            'Unknown operation named "X"',
        ),
        (
            json.dumps(
                {
                    "query": 'subscription { boardGenerations(boardId: "00000000-0000-0000-0000-000000000000")'
                    " { __typename } }"
                }
            ).encode(),
            "application/json",
            "not allowed when using POST",
        ),
    ],
    ids=[
        "json",
        "no-query",
        "batch",
        "variables",
        "ambiguous",
        "unknown-name",
        "subscription",
    ],
)
async def test_requests_that_are_not_an_operation_get_a_400_problem(
    client: httpx.AsyncClient, content: bytes, content_type: str, detail: str
) -> None:
    response = await client.post("/graphql", content=content, headers={"content-type": content_type})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]
