"""The plan of every statement a row runs, captured by PostgreSQL's `auto_explain` (ANALYZE and BUFFERS),
with each Seq Scan on a large table (≥ LARGE_ROWS rows) flagged, and one sweeper pass timed and explained.

`auto_explain` is preloaded with pg_stat_statements (bench.db); it logs nothing until `capture()` sets
`auto_explain.log_min_duration = 0` for the length of one request, then the plans are read back from the
server's log. The statements are the API's own (same parameters, same prepared plans), so this shows what
production runs, not a hand-written copy of it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

LARGE_ROWS = 10_000
SCAN = re.compile(
    r"(Parallel Seq Scan|Seq Scan|Index Only Scan|Bitmap Index Scan|Index Scan|Bitmap Heap Scan)"
    r"(?: using (\S+))? on (\S+)"
)
ENTRY = re.compile(r"LOG:\s+duration: ([\d.]+) ms\s+plan:")
BUFFERS = re.compile(r"^Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?")


@dataclass
class Plan:
    ms: float
    query: str
    lines: list[str] = field(default_factory=list)

    def buffers(self) -> int | None:
        """Shared buffers the statement touched (hit + read, the root node's line): unlike its time, this
        does not move with the host's load, so it is the figure that shows a plan growing with the data."""
        for line in self.lines:
            if match := BUFFERS.match(line):
                return sum(int(n or 0) for n in match.groups())
        return None

    def scans(self) -> list[tuple[str, str, str]]:
        return [m.groups("") for line in self.lines if (m := SCAN.search(line))]  # type: ignore[misc]


class PlanCapture:
    """One connection that switches auto_explain on and off; the plans come from the server log."""

    def __init__(self, dsn: str, log_path: Path) -> None:
        self.dsn, self.log_path = dsn, log_path
        self.large: dict[str, int] = {}
        self._conn: Any = None

    async def connect(self) -> None:
        self._conn = await asyncpg.connect(self.dsn)
        rows = await self._conn.fetch(
            "SELECT relname, reltuples::bigint AS n FROM pg_class WHERE relkind = 'r' AND reltuples >= $1",
            LARGE_ROWS,
        )
        self.large = {r["relname"]: r["n"] for r in rows}

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()

    async def capture(self, action: Callable[[], Awaitable[Any]]) -> list[Plan]:
        """The plans of every statement the server runs while `action` runs."""
        await self._set("0")
        offset = self.log_path.stat().st_size
        try:
            await action()
            await asyncio.sleep(0.3)  # the log is written by the backend after each statement
        finally:
            await self._set("-1")
        with self.log_path.open("rb") as log:
            log.seek(offset)
            found = parse(log.read().decode(errors="replace"))
        return [plan for plan in found if "pg_reload_conf" not in plan.query]

    async def _set(self, value: str) -> None:
        await self._conn.execute(f"ALTER SYSTEM SET auto_explain.log_min_duration = {int(value)}")
        await self._conn.execute("ALTER SYSTEM SET auto_explain.log_analyze = on")
        await self._conn.execute("ALTER SYSTEM SET auto_explain.log_buffers = on")
        await self._conn.execute("SELECT pg_reload_conf()")
        await asyncio.sleep(0.3)  # backends apply a reload at their next command

    def summary(self, name: str, plans: list[Plan]) -> str:
        """One line per statement: time, scans (Seq Scans on large tables flagged), the query's start."""
        lines = [f"plans of {name} ({len(plans)} statements):"]
        for plan in plans:
            scans = []
            for kind, index, table in plan.scans():
                flag = " ⚠ SEQ SCAN ON A LARGE TABLE" if "Seq Scan" in kind and table in self.large else ""
                scans.append(f"{kind}{' ' + index if index else ''} on {table}{flag}")
            text = " ".join(plan.query.split())[:110]
            buffers = plan.buffers()
            touched = f"{buffers:6d} buf" if buffers is not None else "     – buf"
            lines.append(f"  {plan.ms:8.2f} ms {touched}  {'; '.join(scans) or '(no table scan)'}  | {text}")
        return "\n".join(lines)


def parse(log: str) -> list[Plan]:
    plans: list[Plan] = []
    current: Plan | None = None
    for line in log.splitlines():
        match = ENTRY.search(line)
        if match:
            current = Plan(float(match.group(1)), "")
            plans.append(current)
        elif current is not None and line[:1] in ("\t", " "):
            stripped = line.strip()
            if stripped.startswith("Query Text:"):
                current.query = stripped.removeprefix("Query Text:").strip()
            elif (
                current.query and not current.lines and not SCAN.search(stripped) and "(cost=" not in stripped
            ):
                current.query += " " + stripped  # a multi-line query text
            else:
                current.lines.append(stripped)
        else:
            current = None
    return plans


async def sweeper_pass(database_url: str, capture: PlanCapture) -> tuple[float, list[Plan]]:
    """One sweep's two statements (lapsed leases, stale pending rows), timed, with their plans."""
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from app.wiring import build_sweeper

    engine = create_async_engine(database_url)

    async def sweep() -> float:
        async with AsyncSession(engine) as session:
            started = time.perf_counter()
            sweeper = build_sweeper(session)
            await sweeper.expire_lapsed(5.0, 3)
            await sweeper.pending_older_than(5.0)
            spent = time.perf_counter() - started
            await session.rollback()  # measure only: the rows stay as the bench left them
            return spent

    try:
        spent = min([await sweep() for _ in range(3)])  # the first also connects and prepares
        plans = await capture.capture(sweep)
    finally:
        await engine.dispose()
    return spent, plans
