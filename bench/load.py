"""Load generation with wrk: one generated Lua script per row, its results read back as JSON.

The script sets the method, body and headers, and its done() hook prints one `BENCH_JSON {...}` line with
the request count, p50/p99 latency (µs) and wrk's error counts. wrk counts HTTP status >= 400 itself; for
GraphQL rows a response() hook also counts 200 answers whose body carries "errors" (GraphQL reports
resolver failures with HTTP 200). That hook makes wrk hand every body to Lua, which costs wrk a little;
REST rows do without it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

WRK_TIMEOUT = "30s"  # slow rows at 32 connections exceed wrk's 2 s default; a timeout would hide them
_MARKER = "BENCH_JSON "

_DONE = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad_bodies = 0 end
%(response)s
function done(summary, latency, requests)
  local bodies = 0
  for _, t in ipairs(threads) do bodies = bodies + (t:get("bad_bodies") or 0) end
  local e = summary.errors
  io.write(string.format(
    '\n%(marker)s{"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,'
    .. '"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d,"bodies":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, bodies))
end
"""

_GRAPHQL_RESPONSE = r"""
function response(status, headers, body)
  if status < 400 and body ~= nil and string.find(body, '"errors"', 1, true) then
    bad_bodies = bad_bodies + 1
  end
end
"""


@dataclass(frozen=True)
class Request:
    """One HTTP request as a row renders it."""

    method: str
    url: str
    body: bytes | None
    headers: dict[str, str]
    graphql: bool


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def _long_string(text: str) -> str:
    """A Lua long-bracket literal that cannot be closed by the text inside it."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[{text}]{eq}]"


def lua_script(request: Request) -> str:
    lines = [f'wrk.method = "{request.method}"']
    if request.body is not None:
        lines.append(f"wrk.body = {_long_string(request.body.decode())}")
    for name, value in request.headers.items():
        lines.append(f"wrk.headers[ {_long_string(name)} ] = {_long_string(value)}")
    done = _DONE % {"response": _GRAPHQL_RESPONSE if request.graphql else "", "marker": _MARKER}
    return "\n".join(lines) + "\n" + done


def run_wrk(
    request: Request, *, connections: int, seconds: int, threads: int, script_path: Path
) -> WrkResult:
    """Run wrk against request.url for `seconds` with `connections` keep-alive connections."""
    binary = wrk_binary()
    if binary is None:
        raise RuntimeError("wrk is not installed")
    script_path.write_text(lua_script(request))
    cmd = [
        binary, f"-t{max(1, min(threads, connections))}", f"-c{connections}", f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}", "-s", str(script_path), request.url,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120, check=False)
    found = [line for line in done.stdout.splitlines() if line.startswith(_MARKER)]
    if done.returncode != 0 or not found:
        raise WrkFailed(f"wrk failed (exit {done.returncode}): {done.stderr.strip()[:200]}\n{done.stdout}")
    data: dict[str, int] = json.loads(found[-1].removeprefix(_MARKER))
    kinds = ("connect", "read", "write", "timeout", "status", "bodies")
    detail = ", ".join(f"{kind} {data[kind]}" for kind in kinds if data[kind])
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=sum(data[kind] for kind in kinds),
        error_detail=detail,
    )


class WrkFailed(Exception):
    """wrk did not run or printed no result (e.g. a Lua error)."""


class ProbeSkip(Exception):
    """The row's endpoint or schema field does not exist (yet): skip the row, it is not a failure."""


class ProbeFailed(Exception):
    """The endpoint exists but did not answer the request successfully (a harness or app bug)."""


def send(http: httpx.Client, request: Request) -> httpx.Response:
    return http.request(request.method, request.url, content=request.body, headers=request.headers)


def probe(http: httpx.Client, request: Request) -> None:
    """One request; raise ProbeSkip or ProbeFailed unless it succeeded."""
    response = send(http, request)
    snippet = response.text[:300].replace("\n", " ")
    if not request.graphql:
        if response.status_code in (404, 405):
            raise ProbeSkip(f"endpoint not there yet ({response.status_code})")
        if response.status_code >= 300:
            raise ProbeFailed(f"HTTP {response.status_code}: {snippet}")
        return
    try:
        payload: dict[str, Any] = response.json()
    except ValueError:
        raise ProbeFailed(f"HTTP {response.status_code}, not JSON: {snippet}") from None
    errors = payload.get("errors") or []
    if errors:
        first = errors[0]
        code = (first.get("extensions") or {}).get("code")
        if code == "GRAPHQL_VALIDATION_FAILED" or (code is None and response.status_code == 400):
            message = str(first.get("message")).split(" Did you mean")[0]  # drop the spelling suggestions
            raise ProbeSkip(f"not in the schema yet: {message}")
        raise ProbeFailed(f"GraphQL error {code}: {first.get('message')}")
    if response.status_code != 200:
        raise ProbeFailed(f"HTTP {response.status_code}: {snippet}")
    data = payload.get("data") or {}
    empty = [name for name, value in data.items() if value is None]
    if not data or empty:
        raise ProbeFailed(f"null result for {', '.join(empty) or 'data'}: {snippet}")
