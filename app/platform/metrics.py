"""Prometheus metrics (the official prometheus_client): what an on-call engineer graphs and alerts on.

Counters and histograms are updated where things happen (HTTP middleware, GraphQL handler, job hooks, rate
limiter); gauges that describe state (queue depth, oldest pending generation, live streams, DB pool) are read
at scrape time by `refresh_gauges`. With PROMETHEUS_MULTIPROC_DIR set (several worker processes behind one
port) the exposition merges every process's files (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0)
MAX_OPERATION_NAMES = 200  # GraphQL operation names come from clients: bound the label's cardinality
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")

HTTP_REQUESTS = Counter(
    "atelier_http_requests_total",
    "HTTP requests by route template, method and status",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "atelier_http_request_duration_seconds", "HTTP request latency by route template",
    ["method", "route"], buckets=LATENCY_BUCKETS,
)  # fmt: skip
GRAPHQL_OPERATIONS = Counter(
    "atelier_graphql_operations_total", "GraphQL operations by name, type and outcome (ok, error)",
    ["operation", "type", "outcome"],
)  # fmt: skip
GRAPHQL_LATENCY = Histogram(
    "atelier_graphql_operation_duration_seconds", "GraphQL operation latency by name and type",
    ["operation", "type"], buckets=LATENCY_BUCKETS,
)  # fmt: skip
JOBS = Counter(
    "atelier_jobs_total",
    "Jobs a worker finished, by function, generator and outcome",
    ["function", "generator", "outcome"],
)
JOB_DURATION = Histogram(
    "atelier_job_duration_seconds", "Job run time on a worker, by function and generator",
    ["function", "generator"], buckets=JOB_BUCKETS,
)  # fmt: skip
JOBS_RUNNING = Gauge(
    "atelier_jobs_running",
    "Jobs running on this process's workers",
    ["function"],
    multiprocess_mode="livesum",
)
QUEUE_JOBS = Gauge(
    "atelier_queue_jobs", "SAQ jobs by state (queued, active)", ["queue", "state"], multiprocess_mode="max"
)
GENERATIONS = Gauge(
    "atelier_generations",
    "Unfinished generations by status (all tenants)",
    ["status"],
    multiprocess_mode="max",
)
OLDEST_PENDING = Gauge(
    "atelier_generation_oldest_pending_age_seconds", "Age of the oldest pending generation (0: none)",
    multiprocess_mode="max",
)  # fmt: skip
LIVE_STREAMS = Gauge(
    "atelier_live_subscribers",
    "Open SSE and GraphQL subscription streams in this process",
    multiprocess_mode="livesum",
)
DB_POOL = Gauge(
    "atelier_db_pool_connections", "This process's database pool: checked_out, idle, overflow", ["state"],
    multiprocess_mode="livesum",
)  # fmt: skip
RATE_LIMITED = Counter(
    "atelier_rate_limit_refusals_total",
    "Requests refused with 429, by budget (read, write, create, tenant)",
    ["budget"],
)
SWEEPER_ACTIONS = Counter(
    "atelier_sweeper_actions_total", "Generations the sweeper requeued, failed or queued again", ["action"]
)

_operation_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """A client-sent operation name as a label: well-formed and among the first few hundred seen, else
    'other' (a client must not be able to grow the series without bound)."""
    if name is None:
        return "anonymous"
    if name in _operation_names:
        return name
    if not _OPERATION_NAME.match(name) or len(_operation_names) >= MAX_OPERATION_NAMES:
        return "other"
    _operation_names.add(name)
    return name


def observe_graphql(name: str | None, kind: str, seconds: float, *, ok: bool) -> None:
    label = operation_label(name)
    GRAPHQL_OPERATIONS.labels(label, kind, "ok" if ok else "error").inc()
    GRAPHQL_LATENCY.labels(label, kind).observe(seconds)


def observe_pool(pool: Any) -> None:
    """SQLAlchemy's QueuePool counters (public: checkedout(), checkedin(), overflow())."""
    for state, read in (("checked_out", "checkedout"), ("idle", "checkedin"), ("overflow", "overflow")):
        method = getattr(pool, read, None)
        if callable(method):
            DB_POOL.labels(state).set(max(0, int(method())))


GaugeProbe = Callable[[], Awaitable[None]]


async def refresh_gauges(probes: list[GaugeProbe]) -> None:
    """Read the state gauges just before a scrape; a failing probe leaves its gauge as it was."""
    for probe in probes:
        try:
            await probe()
        except Exception:  # noqa: S112  a probe never breaks the scrape (Redis or the DB may be down)
            continue


def registry() -> CollectorRegistry:
    """This process's registry, or one merging every process's files in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        return merged
    return REGISTRY


def exposition() -> tuple[bytes, str]:
    """The text exposition and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST
