"""The cost rows of `make bench`: how fast an over-budget GraphQL query is refused, and whether `/health`
stays fast while such queries arrive (issue 14, item 2: refusal under 50 ms).

- `cost: QUERY_TOO_COMPLEX refusal`: max(200, 20 × BENCH_SECONDS) anonymous POSTs, one at a time on one
  keep-alive connection, of the issue's nested query (`publicBoards { generations(limit: 80) { board {
  generations(limit: 80) … } } }`, cost ≈ 500,000 against the anonymous budget of 5,000). Each answer must be
  the QUERY_TOO_COMPLEX error; latency per request (client clock, loopback) p50/p95/max, and the API's CPU
  per refusal.
- `cost: /health while refusals arrive`: `/health` sampled one request at a time for BENCH_SECONDS with
  nothing else running, then again while wrk sends the same over-budget query on FLOOD_CONNECTIONS
  connections; p50/p95/max of both and the ratio of the p50s (the machine is shared: the ratio, measured
  minutes apart on the same server, says more than either figure).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.generations import cpu_seconds
from bench.load import Request, WrkResult, run_wrk, wrk_binary

NAMES = ("cost: QUERY_TOO_COMPLEX refusal", "cost: /health while refusals arrive")
FLOOD_CONNECTIONS = 8
TARGET_MS = 50.0
NESTED = (
    "{ publicBoards(limit: 1) { generations(limit: 80) { board { generations(limit: 80) "
    "{ board { generations(limit: 80) { id } } } } } } }"
)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def _stats(latencies: list[float]) -> dict[str, float]:
    return {"p50": _pct(latencies, 0.5), "p95": _pct(latencies, 0.95), "max": _pct(latencies, 1.0)}


def refusals(base_url: str, api_pid: int, count: int) -> dict[str, Any]:
    body = json.dumps({"query": NESTED}).encode()
    latencies: list[float] = []
    codes: set[str] = set()
    with httpx.Client(base_url=base_url, timeout=30, headers={"Content-Type": "application/json"}) as http:
        http.post("/graphql", content=body)  # the document's first parse and validation are not measured
        before = cpu_seconds(api_pid)
        for _ in range(count):
            started = time.perf_counter()
            answer = http.post("/graphql", content=body).json()
            latencies.append(time.perf_counter() - started)
            codes.add(str(answer["errors"][0]["extensions"]["code"]))
        cpu_ms = (cpu_seconds(api_pid) - before) * 1000 / count
    return {"count": count, "codes": sorted(codes), "cpu_ms": cpu_ms, **_stats(latencies)}


def _sample_health(base_url: str, seconds: float) -> list[float]:
    latencies: list[float] = []
    with httpx.Client(base_url=base_url, timeout=30) as http:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            http.get("/health").raise_for_status()
            latencies.append(time.perf_counter() - started)
            time.sleep(0.01)  # about 100 samples a second: a prober, not a load
    return latencies


def health_under_refusals(base_url: str, seconds: float, scratch: Path) -> dict[str, Any]:
    idle = _stats(_sample_health(base_url, seconds))
    request = Request("POST", base_url + "/graphql", json.dumps({"query": NESTED}).encode(),
                      {"Content-Type": "application/json"}, graphql=True)  # fmt: skip
    flood: dict[str, WrkResult] = {}

    def run() -> None:
        flood["result"] = run_wrk(request, connections=FLOOD_CONNECTIONS, seconds=int(seconds) + 1,
                                  threads=2, script_path=scratch / "cost.lua")  # fmt: skip

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)  # wrk connected and sending
    loaded = _stats(_sample_health(base_url, seconds))
    thread.join()
    wrk = flood["result"]
    return {"idle": idle, "loaded": loaded, "ratio": loaded["p50"] / idle["p50"], "rps": wrk.rps,
            "wrk_p50": wrk.p50_ms, "wrk_p99": wrk.p99_ms, "refused": wrk.errors, "requests": wrk.requests}  # fmt: skip


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| cost row | p50 ms | p95 ms | max ms | note |", "|---|---:|---:|---:|---|"]
    if (r := results.get(NAMES[0])) is not None:
        met = "✓" if r["p95"] < TARGET_MS else "✗"
        lines.append(f"| {NAMES[0]} | {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.2f} | {r['count']} anonymous "
                     f"POSTs one at a time, answers {', '.join(r['codes'])}; API CPU {r['cpu_ms']:.2f} ms/refusal; "
                     f"target p95 < {TARGET_MS:g} ms {met} |")  # fmt: skip
    if (r := results.get(NAMES[1])) is not None:
        idle, loaded = r["idle"], r["loaded"]
        lines.append(f"| /health, idle | {idle['p50']:.2f} | {idle['p95']:.2f} | {idle['max']:.2f} | one request "
                     "at a time, nothing else sent |")  # fmt: skip
        lines.append(f"| {NAMES[1]} | {loaded['p50']:.2f} | {loaded['p95']:.2f} | {loaded['max']:.2f} | "
                     f"p50 {r['ratio']:.1f}× idle; meanwhile wrk -c{FLOOD_CONNECTIONS} refused {r['rps']:.0f} "
                     f"queries/s (p50 {r['wrk_p50']:.1f} ms, p99 {r['wrk_p99']:.1f} ms; "
                     f"{r['refused']}/{r['requests']} answered with errors, as they must) |")  # fmt: skip
    return "\n".join(lines)


def run_cost(
    filters: tuple[str, ...], seconds: float, *, base_url: str, api_pid: int, scratch: Path, say: Any
) -> str | None:
    """The cost rows that BENCH_ROWS selects, as a Markdown table (None when none is selected)."""
    names = [name for name in NAMES if not filters or any(f in name.lower() for f in filters)]
    if not names:
        return None
    results: dict[str, dict[str, Any]] = {}
    if NAMES[0] in names:
        count = max(200, int(20 * seconds))
        say(f"{NAMES[0]}: {count} over-budget queries")
        results[NAMES[0]] = refusals(base_url, api_pid, count)
    if NAMES[1] in names and wrk_binary() is not None:
        say(f"{NAMES[1]}: {seconds:g} s of /health idle, then {seconds:g} s under a flood of refusals")
        results[NAMES[1]] = health_under_refusals(base_url, seconds, scratch)
    return table(results)
