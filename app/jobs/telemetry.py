"""Job metrics and traces, hooked into SAQ's before_process/after_process (no change to the jobs themselves).

before: the job's span starts as a child of the trace the enqueuing request carried in the job's meta
(app.platform.tracing.job_meta), and is made current, so the job's SQL, Redis and provider HTTP spans join
that trace. after: the span ends with the outcome; counters and the duration histogram are recorded.
"""

from __future__ import annotations

import time
from typing import Any

from app.platform import tracing
from app.platform.metrics import JOB_DURATION, JOBS, JOBS_RUNNING

STARTED = "atelier_started"
SPAN = "atelier_span"
TOKEN = "atelier_trace_token"  # noqa: S105  a context token, not a secret
GENERATOR = "generator"  # run_generation sets ctx["generator"] once it knows the generation's generator


def worker_startup(otel_enabled: bool) -> Any:
    """A startup hook (after the runtime's): tracing in a worker process, SQL spans for its engine."""

    async def startup(ctx: dict[str, Any]) -> None:
        if tracing.install(otel_enabled=otel_enabled, service="atelier-worker"):
            engine = ctx.get("atelier_engine")
            if engine is not None:
                tracing.instrument_engine(engine)

    return startup


async def before_job(ctx: dict[str, Any]) -> None:
    job = ctx.get("job")
    if job is None:
        return
    ctx[STARTED] = time.monotonic()
    JOBS_RUNNING.labels(job.function).inc()
    current = tracing.tracer()
    if current is None:
        return
    from opentelemetry import context, propagate, trace

    carrier = (job.meta or {}).get(tracing.TRACE_META_KEY) or {}
    parent = propagate.extract(carrier) if carrier else None
    span = current.start_span(
        f"job {job.function}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes={"messaging.system": "saq", "messaging.destination.name": job.queue.name,
                    "messaging.message.id": job.key, "saq.job.attempt": job.attempts},
    )  # fmt: skip
    ctx[SPAN] = span
    ctx[TOKEN] = context.attach(trace.set_span_in_context(span))  # the job's task copies this context


def outcome(job: Any, ctx: dict[str, Any]) -> str:
    """complete jobs say how they ended (run_generation returns completed/failed/cancelled/skipped: …)."""
    status = str(getattr(job.status, "value", job.status))
    if ctx.get("exception") is not None:
        return "retrying" if status == "queued" else "error"
    if status == "complete" and isinstance(job.result, str):
        return job.result.split(":", 1)[0].strip() or status
    return status


async def after_job(ctx: dict[str, Any]) -> None:
    job = ctx.get("job")
    if job is None or STARTED not in ctx:
        return
    seconds = time.monotonic() - ctx[STARTED]
    ended = outcome(job, ctx)
    generator = str(ctx.get(GENERATOR) or "none")
    JOBS_RUNNING.labels(job.function).dec()
    JOBS.labels(job.function, generator, ended).inc()
    JOB_DURATION.labels(job.function, generator).observe(seconds)
    span = ctx.pop(SPAN, None)
    if span is None:
        return
    from opentelemetry import context

    span.set_attribute("atelier.job.outcome", ended)
    span.set_attribute("atelier.generator", generator)
    span.end()
    context.detach(ctx.pop(TOKEN))
