"""One createGeneration followed from the API's request span to a separate worker process's completion span:
one trace id, carried inside the SAQ job. The API exports to an in-memory exporter, the worker (another
process, started like production's `python -m app up --worker-only`) over OTLP/HTTP to a fake collector."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import SecretStr

from app.platform import tracing
from app.server import create_app
from app.settings import Settings
from tests.conftest import Servers, running
from tests.fakes import fal
from tests.fakes.fal import FakeFal
from tests.fakes.otlp import FakeCollector, ReceivedSpan
from tests.integration.ops.scrape import finished
from tests.worker_process import start_worker

pytestmark = pytest.mark.usefixtures("clean_db")
CREATE = "mutation Create($input: CreateGenerationInput!) { createGeneration(input: $input) { id } }"


@pytest.fixture
def collector() -> Iterator[FakeCollector]:
    fake = FakeCollector().start()
    yield fake
    fake.stop()


def _worker(
    servers: Servers, queue: str, collector: FakeCollector, log: Path, extra: dict[str, str]
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **extra,
        "ATELIER_DATABASE_URL": servers.database_url,
        "ATELIER_REDIS_URL": servers.redis_url,
        "ATELIER_DATA_DIR": str(servers.data_dir),
        "ATELIER_QUEUE_NAME": queue,
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_SERVICE_NAME": "atelier-worker",
    }
    return start_worker(env, log)


async def _worker_span(collector: FakeCollector, trace_id: str, within_s: float = 15.0) -> list[ReceivedSpan]:
    deadline = time.monotonic() + within_s
    while True:
        spans = [s for s in collector.spans() if s.trace_id == trace_id]
        if any(s.name == "job run_generation" for s in spans) or time.monotonic() > deadline:
            return spans
        await asyncio.sleep(0.1)


def _http(span: ReceivedSpan) -> bool:
    """An httpx client span (old or new HTTP semantic conventions)."""
    return "http.request.method" in span.attributes or "http.method" in span.attributes


def render(spans: list[Any]) -> str:
    """The trace as an indented tree: service, span name, duration in ms (for the closing note)."""
    by_parent: dict[str, list[Any]] = {}
    for span in spans:
        by_parent.setdefault(span["parent"], []).append(span)
    ids = {span["id"] for span in spans}
    lines: list[str] = []

    def walk(span: dict[str, Any], depth: int) -> None:
        ms = (span["end"] - span["start"]) / 1e6
        lines.append(f"{'  ' * depth}{span['name']}  [{span['service']}]  {ms:.1f} ms")
        for child in sorted(by_parent.get(span["id"], []), key=lambda s: s["start"]):
            walk(child, depth + 1)

    for root in sorted((s for s in spans if s["parent"] not in ids), key=lambda s: s["start"]):
        walk(root, 0)
    return "\n".join(lines)


@pytest.fixture
def fake_fal() -> Iterator[FakeFal]:
    fake = FakeFal()
    fake.start()
    yield fake
    fake.stop()


def _fal_env(fake: FakeFal) -> dict[str, str]:
    return {"ATELIER_FAL_KEY": fal.KEY, "ATELIER_FAL_QUEUE_URL": fake.url,
            "ATELIER_PROVIDER_POLL_INITIAL_SECONDS": "0.05", "ATELIER_PROVIDER_POLL_MAX_SECONDS": "0.2"}  # fmt: skip


@pytest.mark.parametrize("generator", ["local-image", "fal-flux-schnell"])
async def test_create_generation_is_one_trace_from_the_api_to_the_worker(
    servers: Servers, settings: Settings, collector: FakeCollector, tmp_path: Path, fake_fal: FakeFal,
    generator: str,
) -> None:  # fmt: skip
    queue = f"traced-{uuid4().hex[:6]}"
    provider = _fal_env(fake_fal) if generator.startswith("fal-") else {}
    worker = _worker(servers, queue, collector, tmp_path / "worker.log", provider)
    exporter = InMemorySpanExporter()
    tracing.install(otel_enabled=False, service="atelier-api", exporters=(exporter,))
    update: dict[str, Any] = {"worker_in_process": False, "queue_name": queue}
    if provider:
        update |= {"fal_key": SecretStr(fal.KEY), "fal_queue_url": fake_fal.url}
    try:
        app = create_app(settings.model_copy(update=update))
        async with (
            running(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
        ):
            board = (await http.post("/api/v1/boards", json={"title": "Traced"})).json()
            exporter.clear()
            variables = {"input": {"boardId": board["id"], "generatorName": generator,
                                   "inputParams": {"prompt": "a traced lighthouse"}}}  # fmt: skip
            created = await http.post("/graphql", json={"query": CREATE, "variables": variables})
            assert "errors" not in created.json(), created.text
            api_spans = list(exporter.get_finished_spans())
            done = await finished(http, created.json()["data"]["createGeneration"]["id"])
            assert done["status"] == "completed", done
    finally:
        tracing.uninstall()
    try:
        server = next(s for s in api_spans if s.name == "POST /graphql")
        trace_id = format(server.context.trace_id, "032x")
        operation = next(s for s in api_spans if s.name == "graphql mutation Create")
        assert operation.parent is not None and operation.parent.span_id == server.context.span_id
        assert operation.attributes["graphql.operation.name"] == "Create"
        assert "query" not in str(dict(operation.attributes)).lower().replace("graphql.operation", "")
        sql = [s for s in api_spans if s.name == "INSERT" and s.context.trace_id == server.context.trace_id]
        assert sql, [s.name for s in api_spans]  # the request's SQL is a child in the same trace
        worker_spans = await _worker_span(collector, trace_id)
        job = next((s for s in worker_spans if s.name == "job run_generation"), None)
        assert job is not None, (trace_id, {(s.name, s.trace_id) for s in collector.spans()})
        api_ids = {format(s.context.span_id, "016x") for s in api_spans}
        assert job.parent_id in api_ids  # its parent is the request's (the enqueue ran inside it)
        assert job.attributes["atelier.job.outcome"] == "completed"
        assert job.service == "atelier-worker"
        children = [s for s in worker_spans if s.parent_id == job.span_id]
        assert {"claim", "generate", "publish"} <= {s.name for s in children}, [s.name for s in children]
        steps = {s.name: s for s in sorted(worker_spans, key=lambda s: -s.start_ns)}  # each name's first
        stores = [s for s in worker_spans if s.name == "store"]  # the artifact (in generate), its thumbnail
        assert steps["generate"].span_id in {s.parent_id for s in stores}, stores
        claim_sql = {s.name for s in worker_spans if s.parent_id == steps["claim"].span_id}
        assert "UPDATE" in claim_sql, claim_sql  # the claim's compare-and-set, inside its step
        published = [s for s in worker_spans if s.name == "publish"]
        redis_calls = [{c.name for c in worker_spans if c.parent_id == p.span_id} for p in published]
        assert all(names & {"PUBLISH", "PUBLISH PUBLISH"} for names in redis_calls), redis_calls
        assert steps["claim"].start_ns < steps["generate"].start_ns <= steps["store"].start_ns
        if provider:  # the provider's HTTP calls (submit, status polls, result, download) inside generate
            calls = [s for s in worker_spans if s.parent_id == steps["generate"].span_id and _http(s)]
            assert len(calls) >= 3, [(s.name, s.attributes) for s in worker_spans]
            urls = {v for s in calls for v in s.attributes.values() if str(v).startswith("http")}
            assert urls and all(url.startswith(fake_fal.url) for url in urls), urls  # the (fake) provider
        tree = [
            {"name": s.name, "id": format(s.context.span_id, "016x"), "service": "atelier-api",
             "parent": format(s.parent.span_id, "016x") if s.parent else "", "start": s.start_time, "end": s.end_time}
            for s in api_spans if s.context.trace_id == server.context.trace_id
        ] + [
            {"name": s.name, "id": s.span_id, "service": s.service, "parent": s.parent_id, "start": s.start_ns,
             "end": s.end_ns}
            for s in worker_spans
        ]  # fmt: skip
        print(f"\ntrace {trace_id}\n{render(tree)}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
