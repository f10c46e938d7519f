"""The one table `make bench` prints (Markdown, so it pastes into an issue or a pull request as is)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.load import WrkResult
from bench.rows import Row


@dataclass(frozen=True)
class Run:
    connections: int
    wrk: WrkResult
    cpu_ms: float | None  # API-process CPU per completed request


@dataclass
class RowResult:
    row: Row
    runs: list[Run] = field(default_factory=list)
    statements: float | None = None  # SQL statements per request (pg_stat_statements)
    skipped: str | None = None  # why the row did not run (endpoint or field missing)
    failed: str | None = None  # the row should have run but its probe or load failed


HEADERS = ("row", "conn", "req/s", "p50 ms", "p99 ms", "errors", "CPU ms/req", "target", "ref", "vs ref",
           "SQL/req", "note")  # fmt: skip
_RIGHT = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _budget(value: float) -> str:
    return f"{value:g}"


def _statements(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _ref(row: Row) -> str:
    if row.reference is None:
        return ""
    low, high = row.reference
    return _budget(low) if low == high else f"{_budget(low)}–{_budget(high)}"


def _cells(result: RowResult) -> list[list[str]]:
    row = result.row
    target = f"≤{_budget(row.target)}" if row.target is not None else ""
    if result.skipped or result.failed or not result.runs:
        note = f"SKIPPED: {result.skipped}" if result.skipped else f"FAILED: {result.failed}"
        return [[row.name, "", "", "", "", "", "", target, _ref(row), "", "", note]]
    lines = []
    for index, run in enumerate(result.runs):
        cpu = run.cpu_ms
        target_cell, ratio = target, ""
        if cpu is not None and row.target is not None:
            target_cell += " ✓" if cpu <= row.target else " ✗"
        if cpu is not None and row.reference is not None:
            ratio = f"{cpu / (sum(row.reference) / 2):.2f}×"
        notes = [row.note] if index == 0 and row.note else []
        if run.wrk.error_detail:
            notes.append(f"errors: {run.wrk.error_detail}")
        lines.append([
            row.name if index == 0 else "",
            str(run.connections),
            _num(run.wrk.rps),
            _num(run.wrk.p50_ms),
            _num(run.wrk.p99_ms),
            str(run.wrk.errors),
            "-" if cpu is None else _num(cpu),
            target_cell,
            _ref(row) if index == 0 else "",
            ratio,
            _statements(result.statements) if index == 0 else "",
            "; ".join(notes),
        ])  # fmt: skip
    return lines


def table(results: list[RowResult]) -> str:
    rows = [list(HEADERS)] + [cells for result in results for cells in _cells(result)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if i in _RIGHT else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(padded) + " |"

    separator = "|" + "|".join(
        ("-" * (widths[i] + 1) + ":") if i in _RIGHT else ("-" * (widths[i] + 2)) for i in range(len(HEADERS))
    ) + "|"  # fmt: skip
    return "\n".join([line(rows[0]), separator, *(line(r) for r in rows[1:])])
