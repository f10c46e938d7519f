"""Metric labels stay bounded; job outcomes are named the way on-call reads them; tracing off costs nothing."""

from __future__ import annotations

from types import SimpleNamespace

from app.jobs.telemetry import outcome
from app.platform import metrics, tracing


def test_operation_names_are_bounded_and_well_formed() -> None:
    assert metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label("GetBoard") == "GetBoard"
    assert metrics.operation_label("bad name; drop") == "other"
    for i in range(metrics.MAX_OPERATION_NAMES + 10):
        metrics.operation_label(f"Op{i}")
    assert metrics.operation_label("BrandNewOperation") == "other"
    assert metrics.operation_label("GetBoard") == "GetBoard"  # names seen before keep their series


def test_job_outcomes() -> None:
    done = SimpleNamespace(status=SimpleNamespace(value="complete"), result="skipped: no longer pending")
    assert outcome(done, {}) == "skipped"
    assert outcome(SimpleNamespace(status="complete", result="completed"), {}) == "completed"
    assert outcome(SimpleNamespace(status="queued", result=None), {"exception": RuntimeError()}) == "retrying"
    assert outcome(SimpleNamespace(status="failed", result=None), {"exception": RuntimeError()}) == "error"
    assert outcome(SimpleNamespace(status="aborted", result=None), {}) == "aborted"


def test_tracing_is_off_by_default_and_carries_nothing(monkeypatch: object) -> None:
    assert not tracing.active()
    assert tracing.job_meta() == {}
    with tracing.span("nothing") as opened:
        assert opened is None


def test_off_means_no_tracing_plugin_middleware_or_provider() -> None:
    """Tracing off: the app gets no OpenTelemetry plugin or middleware and this module no provider, so no
    request pays for spans (the libraries may still import it: redis-py probes for it on import)."""
    from app.server import create_app
    from app.settings import Settings

    app = create_app(
        Settings(env="test", database_url="postgresql+asyncpg://u@127.0.0.1:9/x", redis_url="redis://127.0.0.1:9/0",
                 worker_in_process=False)
    )  # fmt: skip
    assert not tracing.active()
    assert not any("OpenTelemetry" in type(plugin).__name__ for plugin in app.plugins)
    assert not any("OpenTelemetry" in str(getattr(m, "middleware", m)) for m in app.middleware)
