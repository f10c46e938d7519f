"""Probes, docs pages, problem bodies, request ids and GraphQL error policy, through the real HTTP stack."""

from __future__ import annotations

import gc
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.embedded import free_port
from app.server import create_app
from app.settings import Settings
from tests.conftest import running


async def test_health_and_ready_answer(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "storage": "ok"}}


@pytest.mark.parametrize("broken", ["database", "redis"])
async def test_ready_is_503_when_a_dependency_is_down(settings: Settings, broken: str) -> None:
    dead_port = free_port()  # nothing listens there
    override = (
        {"database_url": f"postgresql+asyncpg://nobody@127.0.0.1:{dead_port}/none"}
        if broken == "database"
        else {"redis_url": f"redis://127.0.0.1:{dead_port}/0", "worker_in_process": False}
    )
    app = create_app(settings.model_copy(update=override))
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        assert (await http.get("/health")).status_code == 200  # liveness does not depend on them
        ready = await http.get("/ready")
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks[broken].startswith("error")
    assert checks[{"database": "redis", "redis": "database"}[broken]] == "ok"


async def test_docs_pages_are_served(client: httpx.AsyncClient) -> None:
    openapi = (await client.get("/schema/openapi.json")).json()
    assert openapi["openapi"].startswith("3.1")
    operation_ids = {op["operationId"] for path in openapi["paths"].values() for op in path.values()}
    assert {
        "CreateBoard",
        "GetBoard",
        "ListMyBoards",
        "UpdateBoard",
        "DeleteBoard",
        "Health",
        "Ready",
    } <= operation_ids
    assert "/graphql" not in openapi["paths"]  # hidden from REST clients (STYLE G7)
    assert "text/html" in (await client.get("/schema")).headers["content-type"]
    graphiql = await client.get("/graphql", headers={"accept": "text/html"})
    assert graphiql.status_code == 200
    assert "graphiql" in graphiql.text.lower()


async def test_rest_errors_are_problem_details(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/boards", json={"title": 42}, headers={"x-request-id": "req-123"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance", "code"} <= body.keys()
    assert (body["status"], body["code"], body["instance"]) == (400, "BAD_USER_INPUT", "/api/v1/boards")
    assert body["requestId"] == "req-123" == response.headers["x-request-id"]

    for bad in [
        client.get(f"/api/v1/boards/{uuid.uuid4()}"),
        client.get("/api/v1/boards/not-a-uuid"),
        client.get("/api/v1/nowhere"),
        client.put("/api/v1/boards"),
        client.post("/api/v1/boards", content=b"{not json", headers={"content-type": "application/json"}),
    ]:
        failed = await bad
        assert 400 <= failed.status_code < 500, failed.text
        assert failed.headers["content-type"] == "application/problem+json"
        assert failed.json()["status"] == failed.status_code


async def test_graphql_errors_carry_codes(client: httpx.AsyncClient) -> None:
    async def errors(query: str) -> list[dict[str, object]]:
        body = (await client.post("/graphql", json={"query": query})).json()
        return body["errors"]  # type: ignore[no-any-return]

    assert (await errors("{ nope }"))[0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    bad_input = await errors('mutation { createBoard(input: {title: ""}) { id } }')
    assert bad_input[0]["extensions"] == {"code": "BAD_USER_INPUT"}
    not_found = await errors(
        f'mutation {{ updateBoard(input: {{id: "{uuid.uuid4()}", title: "x"}}) {{ id }} }}'
    )
    assert not_found[0]["extensions"] == {"code": "NOT_FOUND"}
    assert (await errors('{ board(id: "not-a-uuid") { id } }'))[0]["extensions"]["code"] in {
        "BAD_USER_INPUT",
        "GRAPHQL_VALIDATION_FAILED",
    }


async def test_a_failed_graphql_mutation_rolls_back_its_earlier_writes(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    query = 'mutation { a: createBoard(input: {title: "kept?"}) { id } b: createBoard(input: {title: ""}) { id } }'
    body = (await client.post("/graphql", json={"query": query})).json()
    assert body["errors"][0]["path"] == ["b"]
    async with engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM boards WHERE title = 'kept?'"))).scalar_one()
    assert count == 0


async def test_query_depth_and_alias_limits(client: httpx.AsyncClient) -> None:
    aliases = " ".join(f"b{i}: myBoards {{ id }}" for i in range(40))
    body = (await client.post("/graphql", json={"query": f"{{ {aliases} }}"})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "alias" in body["errors"][0]["message"].lower()


class _Collect(logging.Handler):
    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def collected_logs() -> Iterator[list[str]]:
    """JSON log lines, formatted exactly as the app's stderr handler formats them (call after create_app)."""
    root = logging.getLogger()
    handler = _Collect(root.handlers[0].formatter)
    root.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)


async def test_logs_are_json_with_the_request_id(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"access_log": True, "worker_in_process": False}))
    with collected_logs() as log_lines:
        request_id = await _one_logged_request(app)
    records = [json.loads(line) for line in log_lines]
    access = [r for r in records if r.get("logger") == "atelier.access" and r.get("request_id") == request_id]
    assert access, records
    assert access[0]["status"] == 201
    assert access[0]["path"] == "/api/v1/boards"
    assert {"timestamp", "level", "event"} <= access[0].keys()


async def _one_logged_request(app: Litestar) -> str:
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        response = await http.post("/api/v1/boards", json={"title": "logged"})
    return response.headers["x-request-id"]


async def test_production_can_turn_off_introspection_and_graphiql(settings: Settings) -> None:
    locked = settings.model_copy(
        update={"graphql_introspection": False, "graphql_ide": False, "worker_in_process": False}
    )
    app = create_app(locked)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        body = (await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})).json()
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert (await http.get("/graphql", headers={"accept": "text/html"})).status_code != 200
        ok = (await http.post("/graphql", json={"query": "{ myBoards { id } }"})).json()
        assert "errors" not in ok


async def test_syntax_errors_carry_a_code(client: httpx.AsyncClient) -> None:
    body = (await client.post("/graphql", json={"query": "{ myBoards { id }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_query_depth_is_limited(client: httpx.AsyncClient) -> None:
    deep = "{ myBoards " + "{ owner { boards " * 7 + "{ id }" + " } }" * 7 + " }"
    body = (await client.post("/graphql", json={"query": deep})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "depth" in body["errors"][0]["message"].lower()


async def test_outside_tests_the_start_up_heap_is_frozen(settings: Settings) -> None:
    """Start-up objects leave the cyclic GC's reach (full collections were 100+ ms pauses)."""
    gc.unfreeze()
    app = create_app(settings.model_copy(update={"env": "development", "worker_in_process": False}))
    try:
        async with running(app):
            assert gc.get_freeze_count() > 10_000  # the schema, the routes, the metadata, ...
    finally:
        gc.unfreeze()
    async with running(create_app(settings.model_copy(update={"worker_in_process": False}))):
        assert gc.get_freeze_count() == 0  # tests build many apps: never pinned there


async def test_outside_tests_a_workers_start_up_heap_is_frozen(settings: Settings) -> None:
    """The worker process freezes what its start-up built too (engine, registry, storage)."""
    from app.jobs.config import worker_hooks

    for env, frozen in (("development", True), ("test", False)):
        gc.unfreeze()
        startup, shutdown = worker_hooks(settings.model_copy(update={"env": env}))
        ctx: dict[str, object] = {}
        try:
            await startup(ctx)
            assert (gc.get_freeze_count() > 0) is frozen, env
        finally:
            await shutdown(ctx)
            gc.unfreeze()
