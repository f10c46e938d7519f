"""`python -m bench` (`make bench`): seed PostgreSQL, start the API as in production, load it with wrk.

Progress goes to stderr, the table to stdout. Settings (environment):

  BENCH_SECONDS         measured seconds per row and concurrency (default 20)
  BENCH_WARMUP_SECONDS  unmeasured wrk run before each measured one (default 5; 0 = none)
  BENCH_CONCURRENCY     comma-separated wrk connection counts (default "1,32")
  BENCH_THREADS         wrk threads, at most one per connection (default 2)
  BENCH_ROWS            comma-separated, case-insensitive substrings: only rows whose name contains one
  BENCH_STATEMENT_SAMPLES  requests whose SQL statements are counted per row (default 3)
  BENCH_SQL_DETAIL      1 = also print each row's statements (calls per request, query text) to stderr
  BENCH_SCALE           data set size: BENCH_SCALE × 10,000 generations (default 1; 100 = 1,000,000)
  BENCH_DATA_DIR        keep the seeded data set in this directory and reuse it next time (bench/reuse.py)
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from bench import growth, reuse
from bench.cost import run_cost
from bench.db import StatementCounter, start_databases
from bench.explain import explain
from bench.generations import run_live
from bench.growth_rows import GROWTH_ROWS
from bench.load import ProbeFailed, ProbeSkip, Request, WrkFailed, probe, run_wrk, send, wrk_binary
from bench.plans import PlanCapture, sweeper_pass
from bench.report import RowResult, Run, table
from bench.rows import ROWS, Context, Row, fill
from bench.scale import BASE_GENERATIONS, grow, query_words, scale_from_env
from bench.seed import GENERATIONS_PER_BOARD, MEMBERS_PER_BOARD, Seeded, seed
from bench.server import ApiServer, production_env, start_api
from bench.sse_clients import raise_fd_limit


@dataclass(frozen=True)
class Config:
    seconds: int
    warmup_seconds: int
    concurrency: tuple[int, ...]
    threads: int
    rows: tuple[str, ...]
    statement_samples: int
    sql_detail: bool

    @classmethod
    def from_env(cls) -> Config:
        def integer(name: str, default: int) -> int:
            return int(os.environ.get(name) or default)

        concurrency = os.environ.get("BENCH_CONCURRENCY") or "1,32"
        rows = os.environ.get("BENCH_ROWS") or ""
        return cls(
            seconds=max(1, integer("BENCH_SECONDS", 20)),
            warmup_seconds=max(0, integer("BENCH_WARMUP_SECONDS", 5)),
            concurrency=tuple(int(c) for c in concurrency.split(",") if c.strip()),
            threads=max(1, integer("BENCH_THREADS", 2)),
            rows=tuple(r.strip().lower() for r in rows.split(",") if r.strip()),
            statement_samples=max(1, integer("BENCH_STATEMENT_SAMPLES", 3)),
            sql_detail=os.environ.get("BENCH_SQL_DETAIL", "") not in ("", "0", "false"),
        )

    def selected(self) -> list[Row]:
        chosen = [
            r for r in (*ROWS, *GROWTH_ROWS) if not self.rows or any(s in r.name.lower() for s in self.rows)
        ]
        return sorted(chosen, key=lambda r: r.mutates)  # stable: reads first, in their listed order


def say(message: str) -> None:
    sys.stderr.write(f"bench: {message}\n")
    sys.stderr.flush()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def context(seeded: Seeded) -> Context:
    owner = seeded.users[0]
    boards = seeded.boards_by_owner[owner.id]
    words = query_words()
    return Context(
        search_words=" ".join(words),
        search_words_url="+".join(words),
        token=owner.token,
        user_id=str(owner.id),
        board_id=str(boards[0]),
        write_board_id=str(boards[1]),
        generation_id=str(seeded.generations_by_board[boards[0]][0]),
        # Create rows run a real, enabled generator (the seeded rows name provider models for realistic data);
        # no worker runs during the bench, so this measures the API's cost: validate, insert, queue.
        generator_name="local-image",
        input_params={"prompt": "a lighthouse at dusk, oil on canvas", "seed": 7, "size": "small"},
    )


def build_request(row: Row, ctx: Context, base_url: str) -> Request:
    method, path, body = row.render(ctx)
    headers = {"Authorization": f"Bearer {ctx.token}"} if row.auth else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    return Request(method, base_url + path, body, headers, row.is_graphql)


def measure_row(
    row: Row,
    request: Request,
    *,
    config: Config,
    server: ApiServer,
    http: httpx.Client,
    counter: tuple[asyncio.Runner, StatementCounter] | None,
    scratch: Path,
) -> RowResult:
    result = RowResult(row)
    _check_alive(server, row)
    try:
        probe(http, request)
    except ProbeSkip as exc:
        result.skipped = str(exc)
        say(f"{row.name}: skipped ({exc})")
        return result
    except ProbeFailed as exc:
        result.failed = str(exc)
        say(f"{row.name}: FAILED probe ({exc})")
        return result
    try:
        _load(row, request, result, config=config, server=server, script=scratch / "row.lua")
    except WrkFailed as exc:
        _check_alive(server, row)
        result.failed = str(exc).splitlines()[0]
        say(f"{row.name}: FAILED\n{exc}")
        return result
    if counter is not None:
        runner, statements = counter
        server.wait_idle()
        runner.run(statements.reset())
        for _ in range(config.statement_samples):
            send(http, request)
        server.wait_idle()  # the last request's transaction has ended
        result.statements = runner.run(statements.count()) / config.statement_samples
        if config.sql_detail:
            say(f"{row.name}: {result.statements:g} SQL statements per request:")
            for calls, query in runner.run(statements.detail()):
                say(f"  {calls / config.statement_samples:6.1f}× {query}")
    return result


def _load(
    row: Row, request: Request, result: RowResult, *, config: Config, server: ApiServer, script: Path
) -> None:
    """The warm-up and measured wrk runs of one row at every concurrency, with the API's CPU around each."""
    for connections in config.concurrency:
        if config.warmup_seconds:
            say(f"{row.name}: warm-up {config.warmup_seconds} s at {connections} connections")
            run_wrk(request, connections=connections, seconds=config.warmup_seconds,
                    threads=config.threads, script_path=script)  # fmt: skip
        say(f"{row.name}: {config.seconds} s at {connections} connections")
        server.wait_idle()  # the warm-up's in-flight requests are not this run's
        before = server.cpu_seconds()
        wrk = run_wrk(request, connections=connections, seconds=config.seconds,
                      threads=config.threads, script_path=script)  # fmt: skip
        spent = server.cpu_seconds() - before
        result.runs.append(Run(connections, wrk, spent * 1000 / wrk.requests if wrk.requests else None))
        _check_alive(server, row)


def _check_alive(server: ApiServer, row: Row) -> None:
    if server.process.poll() is not None:
        raise ApiDied(
            f"the API exited (code {server.process.returncode}) at {row.name}:\n{server.log_tail()}"
        )


class ApiDied(RuntimeError):
    pass


def run(config: Config, stack: ExitStack) -> tuple[list[RowResult], Seeded, str | None]:
    kept = reuse.data_dir()
    if kept is not None:
        kept.mkdir(parents=True, exist_ok=True)
    scratch = kept or Path(tempfile.mkdtemp(prefix="atelier-bench-", dir="/tmp"))
    scratch.chmod(0o755)  # PostgreSQL runs as `nobody` when we are root: it must traverse this directory
    if kept is None:
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)  # registered first: runs last
    started = time.monotonic()
    say(f"starting PostgreSQL and Valkey under {scratch}")
    databases = start_databases(scratch, stack)
    say("applying migrations")
    from app.platform import migrate

    migrate.upgrade(databases.database_url)
    earlier = reuse.load(kept) if kept else None
    if earlier is not None:
        say(
            f"reusing the data set; deleted {asyncio.run(reuse.forget_leftovers(databases.dsn))} unfinished generations"
        )
    seeded, secret = earlier or _seed(databases.dsn, kept)
    leaf = growth.leaf_of(seeded)
    say(
        f"seeded {len(seeded.users)} users, {sum(map(len, seeded.boards_by_owner.values()))} boards, "
        f"{seeded.members} members, {seeded.generations} generations (input params "
        f"{seeded.mean_input_params_bytes / 1024:.1f} KB on average) in {seeded.seconds:.1f} s"
    )
    env = production_env(
        database_url=databases.database_url, redis_url=databases.redis_url, secret=secret, data_dir=scratch
    )
    server = start_api(env, scratch / "api.log")
    stack.callback(server.stop)
    say(f"API pid {server.pid} ready on {server.base_url} ({time.monotonic() - started:.1f} s since start)")

    ctx = dataclasses.replace(context(seeded), leaf_generation_id=str(leaf))
    counter = None
    if databases.statements_enabled:
        runner = stack.enter_context(asyncio.Runner())
        statements = StatementCounter(databases.dsn)
        runner.run(statements.connect())
        stack.callback(lambda: runner.run(statements.close()))
        counter = (runner, statements)
    http = stack.enter_context(httpx.Client(timeout=60.0))
    results = []
    for row in config.selected():
        request = build_request(row, ctx, server.base_url)
        results.append(
            measure_row(
                row, request, config=config, server=server, http=http, counter=counter, scratch=scratch
            )
        )
    plans = _explains(config.selected(), ctx, seeded, databases.database_url)
    if counter is not None:
        plans = "\n\n".join(
            [
                plans,
                statement_plans(
                    results=results,
                    ctx=ctx,
                    base_url=server.base_url,
                    http=http,
                    databases=databases,
                    runner=counter[0],
                ),
            ]
        )
    live = run_live(config.rows, config.seconds, env=env, dsn=databases.dsn, redis_url=databases.redis_url,
                    base_url=server.base_url, api_pid=server.pid, token=ctx.token, board_id=ctx.write_board_id, scratch=scratch,
                    say=say)  # fmt: skip  # bench/generations.py: jobs and live progress
    cost = run_cost(config.rows, config.seconds, base_url=server.base_url, api_pid=server.pid, scratch=scratch,
                    say=say)  # fmt: skip  # bench/cost.py: over-budget GraphQL refusals, /health meanwhile
    return results, seeded, "\n\n".join(filter(None, [plans, live, cost]))


def _seed(dsn: str, kept: Path | None) -> tuple[Seeded, str]:
    secret = secrets.token_urlsafe(36)  # 48 characters
    say("seeding")
    seeded = asyncio.run(seed(dsn, secret))
    scale = scale_from_env()
    grown, added_boards = asyncio.run(growth.people(dsn, seeded, scale=scale, say=say))
    if scale > 1:
        total = growth.generations_total(scale, added_boards)
        spent = asyncio.run(grow(dsn, grown, total=total, say=say))
        say(f"grew to {BASE_GENERATIONS * scale:,} generations in {spent:.0f} s")
    asyncio.run(growth.relations(dsn, seeded, scale=scale, say=say))
    if kept is not None:
        reuse.save(kept, seeded, secret)
    return seeded, secret


def statement_plans(
    *,
    results: list[RowResult], ctx: Context, base_url: str, http: httpx.Client, databases: Any,
    runner: asyncio.Runner,
) -> str:  # fmt: skip
    """auto_explain's plan of every statement of each row that ran, and of one sweeper pass (bench.plans)."""
    capture = PlanCapture(databases.dsn, databases.postgres.log_path)
    runner.run(capture.connect())
    blocks = []
    try:
        for result in results:
            if result.skipped or result.failed:
                continue
            request = build_request(result.row, ctx, base_url)
            plans = runner.run(capture.capture(functools.partial(asyncio.to_thread, send, http, request)))
            blocks.append(capture.summary(result.row.name, plans))
        if os.environ.get("BENCH_SWEEP", "1") != "0":
            spent, plans = runner.run(sweeper_pass(databases.database_url, capture))
            blocks.append(capture.summary(f"one sweeper pass: {spent * 1000:.1f} ms", plans))
    finally:
        runner.run(capture.close())
    return "Statement plans (auto_explain; ⚠ = Seq Scan on a table of ≥ 10,000 rows):\n\n" + "\n".join(blocks)


def _explains(rows: list[Row], ctx: Context, seeded: Seeded, database_url: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of each search row's statement, as the owner the rows act as."""
    blocks = []
    for row in rows:
        if row.explain is None:
            continue
        query = fill(row.explain, ctx.values())
        plan = asyncio.run(
            explain(database_url, seeded.tenant_id, seeded.users[0].id, query, facets=row.explain_facets)
        )
        blocks.append(f"EXPLAIN of {row.name}:\n{plan}")
    return "\n\n".join(blocks)


def main() -> int:
    config = Config.from_env()
    if wrk_binary() is None:
        say(
            "SKIPPED: wrk is not installed. `make bench` installs it with apt-get when run as root; "
            "otherwise install it yourself (e.g. `sudo apt-get install wrk`, `brew install wrk`)."
        )
        return 0
    raise_fd_limit()  # inherited by the API: BENCH_SSE_SUBSCRIBERS=10000 holds one socket per stream
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    started = time.monotonic()
    try:
        with ExitStack() as stack:
            results, seeded, live = run(config, stack)
            say("stopping servers")
    except KeyboardInterrupt:
        say("interrupted; servers stopped and temporary files removed")
        return 130
    except ApiDied as exc:
        say(f"FAILED: {exc}")
        return 1
    sys.stdout.write(
        f"Atelier benchmark: {config.seconds} s per run after {config.warmup_seconds} s warm-up; "
        f"{len(seeded.users)} users, {sum(map(len, seeded.boards_by_owner.values()))} boards × "
        f"{MEMBERS_PER_BOARD} members × {GENERATIONS_PER_BOARD} generations; "
        "CPU = API process utime+stime per completed request; "
        f"SQL = statements per request (pg_stat_statements); total {time.monotonic() - started:.0f} s\n\n"
    )
    sys.stdout.write(table(results) + "\n")
    if live:
        sys.stdout.write("\n" + live + "\n")
    failed = [r for r in results if r.failed]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
