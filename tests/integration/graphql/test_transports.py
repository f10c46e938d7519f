"""GET, POST and the websockets all run through Strawberry's view and schema: same rules, same answers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import TestClient

from app.server import create_app
from app.settings import Settings
from tests.security.test_graphql_cost import nested

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


# One rule set on every transport (issue 16): the same error codes, cost refusal and rollback whether the
# operation came by GET, POST or a websocket, since all run through Strawberry's Schema and its extensions.
TRANSPORTS = ["get", "post", "graphql-transport-ws"]
CODED = {
    nested(80): "QUERY_TOO_COMPLEX",  # cost, before any resolver (anonymous budget)
    "{ nope }": "GRAPHQL_VALIDATION_FAILED",
    "{ myBoards { id }": "GRAPHQL_PARSE_FAILED",
    '{ board(id: "not-a-uuid") { id } }': "GRAPHQL_VALIDATION_FAILED",  # a literal that does not parse
    '{ board(id: "00000000-0000-4000-8000-000000000000") { id } }': None,  # no error: null
}
CREATE_THEN_FAIL = (
    'mutation { a: createBoard(input: {title: "half done"}) { id } '
    'b: deleteBoard(id: "00000000-0000-4000-8000-000000000000") }'
)


def _over(http: Any, transport: str, query: str) -> dict[str, Any]:
    if transport == "get":
        answer: dict[str, Any] = http.get("/graphql", params={"query": query}).json()
        return answer
    if transport == "post":
        answer = http.post("/graphql", json={"query": query}).json()
        return answer
    with http.websocket_connect("/graphql", subprotocols=[transport]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
        try:
            message = ws.receive_json()
        except WebSocketDisconnect as closed:  # the protocol closes on a document that does not parse
            return {"closed": closed.code, "reason": closed.detail}
    assert message["type"] in {"next", "error"}, message
    payload = message["payload"]
    return {"data": None, "errors": payload} if message["type"] == "error" else payload


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_transport_codes_errors_and_refuses_cost_alike(
    settings: Settings, clean_db: None, transport: str
) -> None:
    with TestClient(create_app(settings)) as http:
        answers = {query: _over(http, transport, query) for query in CODED}
        reference = {query: _over(http, "post", query) for query in CODED}
    for query, code in CODED.items():
        if "closed" in answers[query]:  # graphql-transport-ws: 4400 with the syntax error as the reason
            assert (transport, code, answers[query]["closed"]) == (
                "graphql-transport-ws",
                "GRAPHQL_PARSE_FAILED",
                4400,
            )
            assert answers[query]["reason"] == reference[query]["errors"][0]["message"]
            continue
        errors = answers[query].get("errors") or []
        assert [e["extensions"]["code"] for e in errors[:1]] == ([code] if code else []), answers[query]
        assert answers[query]["data"] == reference[query]["data"]
        assert [e["message"] for e in errors] == [e["message"] for e in reference[query].get("errors") or []]


@pytest.mark.parametrize("transport", ["post", "graphql-transport-ws"])
def test_a_failed_mutation_is_rolled_back_on_every_transport(
    settings: Settings, clean_db: None, transport: str
) -> None:
    with TestClient(create_app(settings)) as http:
        failed = _over(http, transport, CREATE_THEN_FAIL)
        titles = http.post("/graphql", json={"query": "{ myBoards(limit: 100) { title } }"}).json()
    assert failed["errors"][0]["extensions"]["code"] == "NOT_FOUND", failed
    assert titles == {"data": {"myBoards": []}}  # the half-done createBoard was not committed


def test_get_refuses_a_mutation_with_a_problem(settings: Settings, clean_db: None) -> None:
    with TestClient(create_app(settings)) as http:
        response = http.get("/graphql", params={"query": CREATE_THEN_FAIL})
    assert response.status_code in {400, 405}, response.text
    assert response.headers["content-type"] == "application/problem+json"
