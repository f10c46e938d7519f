"""Run the schemathesis CLI (4.x) against a server the test serves on loopback, with a generated config.

The CLI runs in a subprocess while the test's event loop keeps serving the app, so the server is the real
ASGI app over real HTTP. The config pins the seed, sizes the run (the suite's budget is three minutes on two
cores: a time budget, not only example counts), and names the seeded objects so path parameters hit rows that exist.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ST = Path(sys.executable).with_name("st")
ROOT = Path(__file__).resolve().parents[2]  # hooks modules import as tests.conformance.*
SEED = 20261202


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(
    path: Path,
    *,
    parameters: Mapping[str, str],
    headers: Mapping[str, str] | None = None,
    accepted: Mapping[str, Sequence[int | str]] | None = None,
    per_operation: Mapping[str, Sequence[str]] | None = None,
    max_examples: int,
    max_time: int | None = None,
    phases: Sequence[str] = ("examples", "coverage", "fuzzing", "stateful"),
    top_level: Sequence[str] = (),
    allow_nul: bool = True,
) -> Path:
    """A schemathesis.toml: seeded `parameters`, `headers` on every call, and per operation the statuses
    `positive_data_acceptance` takes for schema-valid data the server still refuses for a stated reason,
    and raw TOML settings per operation id (`per_operation`). `max_time` (seconds) bounds the whole run:
    schemathesis splits it evenly over the operations of each phase, so a loaded machine sends fewer cases
    per operation but still reaches every operation, and the suite's time stays fixed."""
    budget = [] if max_time is None else [f"max-time = {max_time}"]
    lines = [
        f"seed = {SEED}",
        "max-failures = 50",
        "request-timeout = 20",
        *budget,
        *top_level,
        "[generation]",
    ]
    lines += [f"max-examples = {max_examples}", "no-shrink = true", f"allow-x00 = {_toml_value(allow_nul)}"]
    lines += ["[checks]", "enabled = true"]
    for phase in ("examples", "coverage", "fuzzing", "stateful"):
        lines += [f"[phases.{phase}]", f"enabled = {_toml_value(phase in phases)}"]
        if phase == "coverage":  # one undeclared method per path is enough to check 405 + Allow
            lines.append('unexpected-methods = ["TRACE"]')
        if phase == "stateful":
            lines.append("max-steps = 6")
    lines.append("[parameters]")
    lines += [f"{_toml_value(name)} = {_toml_value(value)}" for name, value in parameters.items()]
    if headers:
        lines.append("[headers]")
        lines += [f"{_toml_value(name)} = {_toml_value(value)}" for name, value in headers.items()]
    options = {op: list(lines_) for op, lines_ in (per_operation or {}).items()}
    for operation_id, statuses in (accepted or {}).items():
        expected = f"checks.positive_data_acceptance.expected-statuses = {_toml_value(list(statuses))}"
        options.setdefault(operation_id, []).append(expected)
    for operation_id, settings in options.items():
        lines += ["[[operations]]", f"include-operation-id = {_toml_value(operation_id)}", *settings]
    path.write_text("\n".join(lines) + "\n")
    return path


async def run_schemathesis(config: Path, target: str, *extra: str, limit_s: float = 170.0) -> tuple[int, str]:
    """(exit code, output) of `st run target`; every check is on (the config's `[checks] enabled`, which
    per-operation settings can refine, unlike `--checks all`). The output is what a failure shows."""
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false", "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        str(ST),
        "--config-file",
        str(config),
        "run",
        target,
        "--no-color",
        *extra,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
        cwd=config.parent,
    )  # fmt: skip  (cwd: its .schemathesis cache lands beside the config, not in the work tree)
    try:
        out, _ = await asyncio.wait_for(process.communicate(), limit_s)
    except TimeoutError:
        process.kill()
        out, _ = await process.communicate()
        return -1, out.decode(errors="replace") + f"\n(schemathesis stopped after {limit_s:.0f} s)"
    return process.returncode or 0, out.decode(errors="replace")


def unreached(output: str) -> int:
    """How many selected operations no unit phase (coverage, fuzzing) reached, e.g. because the time budget
    ran out before them; one schemathesis skips on purpose (nothing to generate) counts as reached."""
    selected = re.search(r"Selected: (\d+)/", output)
    counts = re.findall(r"(?:Coverage|Fuzzing) \(in [\d.]+s\)\s*\n\s*(.*)\n", output)
    if selected is None or not counts:
        return -1
    reached = max(
        sum(int(n) for n in re.findall(r"(\d+) (?:passed|failed|skipped|errors?)", line)) for line in counts
    )
    return int(selected[1]) - reached
