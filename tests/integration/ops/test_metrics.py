"""GET /metrics through the real HTTP stack: the series move after a generation, REST and GraphQL requests
and a refused request; the token and the separate port protect them."""

from __future__ import annotations

import asyncio
import time
from uuid import uuid4

import httpx
import pytest
from pydantic import SecretStr

from app.embedded import free_port
from app.server import create_app
from app.settings import Settings
from tests.conftest import running
from tests.integration.ops.scrape import finished, names, sample

JOB = "atelier_jobs_total"


async def _scrape(http: httpx.AsyncClient, **headers: str) -> str:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def _job_counted(http: httpx.AsyncClient, before: float, within_s: float = 10.0) -> str:
    """The job's counter is written by SAQ's after_process hook, just after the row completes."""
    deadline = time.monotonic() + within_s
    while True:
        text = await _scrape(http)
        done = sample(text, JOB, function="run_generation", generator="local-text", outcome="completed")
        if done > before or time.monotonic() > deadline:
            return text
        await asyncio.sleep(0.05)


async def test_a_generation_moves_the_request_graphql_and_job_series(client: httpx.AsyncClient) -> None:
    before = await _scrape(client)
    board = (await client.post("/api/v1/boards", json={"title": "Metrics"})).json()
    body = {"boardId": board["id"], "generatorName": "local-text", "inputParams": {"prompt": "metrics"}}
    created = await client.post("/api/v1/generations", json=body)
    assert created.status_code == 201, created.text
    assert (await finished(client, created.json()["id"]))["status"] == "completed"
    query = {"query": "query WhoAmI { me { id } }", "operationName": "WhoAmI"}
    assert "errors" not in (await client.post("/graphql", json=query)).json()
    jobs_before = sample(before, JOB, function="run_generation", generator="local-text", outcome="completed")
    after = await _job_counted(client, jobs_before)

    route = {"method": "POST", "route": "/api/v1/generations"}
    assert sample(after, "atelier_http_requests_total", **route, status="201") == (
        sample(before, "atelier_http_requests_total", **route, status="201") + 1
    )
    latency = "atelier_http_request_duration_seconds_count"
    assert sample(after, latency, **route) == sample(before, latency, **route) + 1
    graphql = {"operation": "WhoAmI", "type": "query"}
    ops = "atelier_graphql_operations_total"
    assert sample(after, ops, **graphql, outcome="ok") == sample(before, ops, **graphql, outcome="ok") + 1
    assert sample(after, JOB, function="run_generation", generator="local-text", outcome="completed") == (
        jobs_before + 1
    )
    duration = "atelier_job_duration_seconds_count"
    labels = {"function": "run_generation", "generator": "local-text"}
    assert sample(after, duration, **labels) == sample(before, duration, **labels) + 1
    assert {
        "atelier_queue_jobs",
        "atelier_generations",
        "atelier_generation_oldest_pending_age_seconds",
        "atelier_live_subscribers",
        "atelier_db_pool_connections",
    } <= names(after)
    assert sample(after, "atelier_generations", status="pending") == 0
    shown = (
        "atelier_jobs_total{",
        "atelier_queue_jobs{",
        "atelier_generation_oldest",
        "atelier_live_subscribers ",
        'atelier_graphql_operations_total{operation="WhoAmI"',
        'atelier_http_requests_total{method="POST",route="/api/v1/generations"',
        "atelier_db_pool_connections{",
        'atelier_job_duration_seconds_bucket{function="run_generation",generator="local-text",le="1.0"',
    )
    excerpt = [line for line in after.splitlines() if any(part in line for part in shown)]
    print("\n" + "\n".join(excerpt))  # a /metrics excerpt for `pytest -s`


async def test_a_refused_request_counts_under_its_budget(local_settings: Settings) -> None:
    settings = local_settings.model_copy(
        update={"rate_limit_read_per_minute": 1, "rate_limit_namespace": f"rl:{uuid4()}"}
    )
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        before = sample(await _scrape(http), "atelier_rate_limit_refusals_total", budget="read")
        codes = [(await http.get("/api/v1/generators")).status_code for _ in range(3)]
        assert codes == [200, 429, 429]
        text = await _scrape(http)  # /metrics itself is never limited
        assert sample(text, "atelier_rate_limit_refusals_total", budget="read") == before + 2
        status = {"method": "GET", "route": "/api/v1/generators", "status": "429"}
        assert sample(text, "atelier_http_requests_total", **status) >= 2


async def test_a_token_protects_metrics(settings: Settings) -> None:
    app = create_app(
        settings.model_copy(update={"metrics_token": SecretStr("s3cret-scrape"), "worker_in_process": False})
    )
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        refused = await http.get("/metrics")
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        assert "atelier_http_requests_total" in await _scrape(http, Authorization="Bearer s3cret-scrape")


@pytest.mark.parametrize("mode", ["production-without-token", "separate-port"])
async def test_metrics_leave_the_api_port_in_production_or_with_a_port(
    local_settings: Settings, mode: str
) -> None:
    port = free_port()
    update: dict[str, object] = {"worker_in_process": False}
    if mode == "separate-port":
        update["metrics_port"], update["metrics_host"] = port, "127.0.0.1"
    else:
        update["env"] = "production"
    app = create_app(local_settings.model_copy(update=update))
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        assert (await http.get("/metrics")).status_code in {401, 404}
        if mode == "separate-port":
            async with httpx.AsyncClient() as direct:
                served = await direct.get(f"http://127.0.0.1:{port}/metrics")
            assert served.status_code == 200
            assert "atelier_queue_jobs" in served.text
