"""OpenTelemetry traces: off by default, and then nothing of it runs (no provider, middleware or hooks).

On with ATELIER_OTEL_ENABLED=true or any OTEL_TRACES_EXPORTER but `none` (OTEL_SDK_DISABLED=true wins).
Exporters come from the standard variables: OTEL_TRACES_EXPORTER=otlp (default; OTLP over HTTP,
OTEL_EXPORTER_OTLP_ENDPOINT, …_HEADERS) and/or console; OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and
OTEL_TRACES_SAMPLER are read by the SDK itself. The provider is this module's, never the global one, so a test
can install and remove it; instrumentations (SQLAlchemy engines, redis, httpx) are given it explicitly.
A job carries its trace context in the SAQ job's `meta` (app.jobs.telemetry continues it on the worker).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from app.platform.logging import get_logger

log = get_logger("atelier.tracing")
TRACE_META_KEY = "otel"
SQL_SPANS = "atelier_otel_spans"  # Connection.info key of the statements in flight
_state: dict[str, Any] = {"provider": None, "instrumentors": [], "engines": []}


def wanted(otel_enabled: bool) -> bool:
    """Whether this process should trace (settings flag or the standard OTEL_* variables)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    return otel_enabled or exporters not in ("", "none")


def active() -> bool:
    return _state["provider"] is not None


def install(*, otel_enabled: bool, service: str, exporters: tuple[Any, ...] = ()) -> bool:
    """Set up tracing once per process; `exporters` (tests: in-memory) are added synchronously. Returns
    whether tracing is on."""
    if _state["provider"] is not None:
        return True
    if not exporters and not wanted(otel_enabled):
        return False
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))  # OTEL_SERVICE_NAME wins
    for exporter in _configured_exporters(default="otlp" if wanted(otel_enabled) else "none"):
        provider.add_span_processor(BatchSpanProcessor(exporter))
    for exporter in exporters:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    _state["provider"] = provider
    _instrument_libraries(provider)
    log.info("tracing on", service=service)
    return True


def _configured_exporters(default: str) -> list[Any]:
    names = [n.strip().lower() for n in os.environ.get("OTEL_TRACES_EXPORTER", default).split(",")]
    found: list[Any] = []
    for name in names:
        if name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            found.append(OTLPSpanExporter())
        elif name == "console":
            from opentelemetry.sdk.trace.export import ConsoleSpanExporter

            found.append(ConsoleSpanExporter())
        elif name not in ("", "none"):
            log.warning("unknown OTEL_TRACES_EXPORTER ignored (otlp, console)", exporter=name)
    return found


def _instrument_libraries(provider: Any) -> None:
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    for instrumentor in (RedisInstrumentor(), HTTPXClientInstrumentor()):
        instrumentor.instrument(tracer_provider=provider)
        _state["instrumentors"].append(instrumentor)


def instrument_engine(engine: Any) -> None:
    """SQL spans for one (async) engine through SQLAlchemy's public cursor events: the statement text as
    db.query.text, never its parameters."""
    current = tracer()
    if current is None:
        return
    from opentelemetry.trace import SpanKind, Status, StatusCode
    from sqlalchemy import event

    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:  # noqa: PLR0917
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        attributes = {"db.system.name": "postgresql", "db.query.text": statement[:4000]}
        opened = current.start_span(verb, kind=SpanKind.CLIENT, attributes=attributes)
        conn.info.setdefault(SQL_SPANS, []).append(opened)

    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:  # noqa: PLR0917
        if conn.info.get(SQL_SPANS):
            conn.info[SQL_SPANS].pop().end()

    def failed(context: Any) -> None:
        spans = context.connection.info.get(SQL_SPANS) if context.connection is not None else None
        if spans:
            opened = spans.pop()
            opened.set_status(Status(StatusCode.ERROR, type(context.original_exception).__name__))
            opened.end()

    sync = engine.sync_engine
    for name, listener in (("before_cursor_execute", before), ("after_cursor_execute", after)):
        event.listen(sync, name, listener)
        _state["engines"].append((sync, name, listener))
    event.listen(sync, "handle_error", failed)
    _state["engines"].append((sync, "handle_error", failed))


def uninstall() -> None:
    """Flush and remove tracing (tests; a process otherwise keeps it for life)."""
    provider = _state["provider"]
    if provider is None:
        return
    from sqlalchemy import event

    for instrumentor in _state["instrumentors"]:
        instrumentor.uninstrument()
    for target, name, listener in _state["engines"]:
        event.remove(target, name, listener)
    provider.force_flush()
    provider.shutdown()
    _state.update(provider=None, instrumentors=[], engines=[])


def provider() -> Any:
    return _state["provider"]


def tracer() -> Any:
    provider = _state["provider"]
    return None if provider is None else provider.get_tracer("atelier")


def flush() -> None:
    if _state["provider"] is not None:
        _state["provider"].force_flush()


@contextlib.contextmanager
def span(name: str, attributes: dict[str, Any] | None = None) -> Iterator[Any]:
    """A child span of the current one, or nothing when tracing is off."""
    current = tracer()
    if current is None:
        yield None
        return
    with current.start_as_current_span(name, attributes=attributes) as opened:
        yield opened


def job_meta() -> dict[str, Any]:
    """Enqueue options carrying the current trace context (W3C traceparent) inside the SAQ job."""
    if _state["provider"] is None:
        return {}
    from opentelemetry import propagate

    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return {"meta": {TRACE_META_KEY: carrier}} if carrier else {}
