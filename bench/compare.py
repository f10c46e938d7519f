"""Side by side: two saved `make bench` outputs (stdout), e.g. BENCH_SCALE=1 and BENCH_SCALE=100.

    python -m bench.compare scale1.out scale100.out

Prints one Markdown table: per row (one connection) the p50 at each scale and its growth, the API's CPU per
request, and the database time of the row's statements from the plans section (`bench.plans`: auto_explain
of one request, ANALYZE and BUFFERS on) with the shared buffers they touched, and every Seq Scan on a large
table flagged. On a shared machine the p50 and even a statement's time follow the load; the buffers a plan
touches do not, so a row is flagged when they grow more than GROWTH_LIMIT× (and by more than NOISE_BUFFERS;
by statement time when a run has no buffer counts) or its plan scans a large table."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

GROWTH_LIMIT = 1.5
NOISE_MS = 1.0  # statement times below a millisecond move with the host, not with the data
NOISE_BUFFERS = 100  # the same rows on 100× larger tables sit on more pages (a deeper B-tree, scattered heap
# rows): up to 100 more buffer hits is ≈0.1 ms, not a plan that grows with the data
PLANS = re.compile(
    r"^plans of (.+?)(?:: [\d.]+ ms)? \((\d+) statements?\):$"
)  # the sweeper's name has its time
STATEMENT = re.compile(r"^\s+([\d.]+) ms\s+(?:(\d+|–) buf\s+)?(.*)$")


@dataclass
class Measured:
    p50: float | None = None
    cpu: float | None = None
    sql_ms: float | None = None
    buffers: int | None = None  # shared buffers its statements touched (None: not captured)
    seq_scans: list[str] = field(default_factory=list)


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def parse(text: str) -> dict[str, Measured]:
    """Rows by name: the one-connection line of the table, then the row's plans."""
    rows: dict[str, Measured] = {}
    current: Measured | None = None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) > 6 and cells[1] == "1":
            rows[cells[0]] = Measured(p50=_number(cells[3]), cpu=_number(cells[6]))
            continue
        if match := PLANS.match(line):
            current = rows.setdefault(match.group(1), Measured())
            current.sql_ms = 0.0
            continue
        statement = STATEMENT.match(line)
        if current is not None and statement:
            current.sql_ms = (current.sql_ms or 0.0) + float(statement.group(1))
            if (buffers := statement.group(2)) and buffers.isdigit():
                current.buffers = (current.buffers or 0) + int(buffers)
            for scan in statement.group(3).split("|")[0].split(";"):
                if "SEQ SCAN ON A LARGE TABLE" in scan:
                    current.seq_scans.append(scan.split("⚠")[0].strip())
        elif not line.startswith(" "):
            current = None
    return rows


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(small: float | None, large: float | None) -> float | None:
    if small is None or large is None or small <= 0:
        return None
    return large / small


def _count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _flags(small: Measured, large: Measured) -> list[str]:
    """Large Seq Scans, and growth: of the buffers touched when both runs captured them (they do not move
    with the host's load), else of the statement time."""
    flags = [f"⚠ {scan}" for scan in large.seq_scans]
    if small.buffers is not None and large.buffers is not None:
        grew = large.buffers > GROWTH_LIMIT * small.buffers and large.buffers - small.buffers > NOISE_BUFFERS
        if grew:
            flags.append(f"buffers grew > {GROWTH_LIMIT}×")
        return flags
    sql = _ratio(small.sql_ms, large.sql_ms)
    if sql is not None and sql > GROWTH_LIMIT and (large.sql_ms or 0) - (small.sql_ms or 0) > NOISE_MS:
        flags.append(f"SQL time grew > {GROWTH_LIMIT}×")
    return flags


def table(small: dict[str, Measured], large: dict[str, Measured], names: tuple[str, str]) -> str:
    a, b = names
    head = (f"| row | p50 ms {a} | p50 ms {b} | p50 growth | CPU ms {a} | CPU ms {b} | SQL ms {a} | SQL ms {b} "
            f"| buffers {a} | buffers {b} | buffer growth | flags at {b} |")  # fmt: skip
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, at_b in large.items():
        at_a = small.get(name, Measured())
        p50 = _ratio(at_a.p50, at_b.p50)
        touched = _ratio(at_a.buffers, at_b.buffers)
        cells = [name, _fmt(at_a.p50), _fmt(at_b.p50), f"{p50:.1f}×" if p50 else "–", _fmt(at_a.cpu),
                 _fmt(at_b.cpu), _fmt(at_a.sql_ms), _fmt(at_b.sql_ms), _count(at_a.buffers), _count(at_b.buffers),
                 f"{touched:.1f}×" if touched else "–", "; ".join(_flags(at_a, at_b)) or "ok"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    small, large = (parse(Path(p).read_text()) for p in argv)
    sys.stdout.write(table(small, large, ("@1", "@100")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
