"""`python -m bench.fanout_ab BASE_DIR`: the SSE fan-out row for two checkouts, interleaved, in one run.

Compares the live fan-out of another checkout of the code (BASE_DIR, e.g. `git archive main | tar -x -C
/tmp/base`) with this one under the same conditions: one PostgreSQL, one Valkey and one seeded data set,
then the row alternates base, this, base, this … (BENCH_AB_ROUNDS rounds, default 2), each on a freshly
started API (so RSS per idle subscriber is measured every time), so that a change in the machine's load
hits both. Settings:
BENCH_SSE_SUBSCRIBERS (default 1,000), BENCH_SECONDS (events = seconds × rate), BENCH_SSE_RATE (events/s).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.__main__ import context, say
from bench.db import start_databases
from bench.generations import sse_latency, sse_rate
from bench.seed import seed
from bench.server import production_env, start_api
from bench.sse_clients import raise_fd_limit


def _row(label: str, r: dict[str, Any], load: float) -> str:
    return (
        f"| {label} | {r['expected'] // r['events']:,} | {r['received']:,}/{r['expected']:,} | {r['p50']:.1f} | "
        f"{r['p99']:.1f} | {r['rate']:g}/s | {r['api_cpu_ms']:.1f} ms ({r['api_system_ms']:.1f}) | "
        f"{r['rss_per_subscriber_kb']:.1f} KB "
        f"({r['rss_mb']:.0f} MB) | {load:.1f} |"
    )


def main(base_dir: Path) -> int:
    raise_fd_limit()
    subscribers = int(os.environ.get("BENCH_SSE_SUBSCRIBERS") or 1000)
    seconds = float(os.environ.get("BENCH_SECONDS") or 10)
    rounds = int(os.environ.get("BENCH_AB_ROUNDS") or 2)
    scratch = Path(tempfile.mkdtemp(prefix="atelier-fanout-ab-", dir="/tmp"))
    scratch.chmod(0o755)
    lines = [
        "| code | subscribers | delivered | p50 ms | p99 ms | events | API CPU / 1,000 deliveries (kernel) | "
        "RSS / idle subscriber | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, scratch, ignore_errors=True)
        databases = start_databases(scratch, stack)
        from app.platform import migrate

        migrate.upgrade(databases.database_url)
        secret = secrets.token_urlsafe(36)
        ctx = context(asyncio.run(seed(databases.dsn, secret)))
        env = production_env(
            database_url=databases.database_url,
            redis_url=databases.redis_url,
            secret=secret,
            data_dir=scratch,
        )
        for n in range(rounds):
            for label, cwd in (("base", base_dir), ("this", None)):
                say(f"round {n + 1}: {label}, {subscribers} subscribers")
                server = start_api(env, scratch / f"api-{label}.log", cwd=cwd)  # fresh: RSS per subscriber
                try:
                    result = sse_latency(
                        databases.dsn, redis_url=databases.redis_url, base_url=server.base_url, token=ctx.token,
                        board_id=ctx.write_board_id, subscribers=subscribers, seconds=seconds, api_pid=server.pid,
                    )  # fmt: skip
                finally:
                    server.stop()
                lines.append(_row(label, result, os.getloadavg()[0]))
                sys.stdout.write(lines[-1] + "\n")
                sys.stdout.flush()
                time.sleep(2.0)  # the streams of this run are closed before the next one opens
    sys.stdout.write(f"\nevents at {sse_rate(subscribers):g}/s\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
