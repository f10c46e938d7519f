"""The TypeScript client in `make test`: tsc, the hook and component tests (vitest) against real servers, the
production build's size, and the page end to end in headless Chromium: in `none` mode (create board →
local-image, audio, video in the detail view) and the whole flow with local accounts (e2e/flow.mjs)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.platform import migrate
from tests.conftest import AUTH_SECRET, Servers
from tests.integration.clients.node import CHROMIUM, CLIENTS, atelier_servers, npm_tool, require_node_tools

pytestmark = pytest.mark.slow
WEB_DATABASE = "atelier_web_client"
FLOW_DATABASE = "atelier_web_flow"  # its own: another server's sweeper must never take the flow's jobs
JS_GZIP_BUDGET = 120_000  # bytes: React + react-query + the client; a jump means something heavy came in


@pytest.fixture(scope="module")
def node_tools() -> None:
    require_node_tools()


@pytest.fixture(scope="module")
def web_build(node_tools: None, scratch_dir: Path) -> Path:
    """A fresh production build of the page (never a stale clients/dist)."""
    out = scratch_dir / "web-dist"
    result = npm_tool("vite", "build", "--outDir", str(out), "--emptyOutDir", "--logLevel", "warn")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _own_database(servers: Servers, name: str) -> str:
    if servers.postgres is None:
        return servers.database_url
    servers.postgres.create_database(name)
    url = servers.postgres.url_for(name)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="module")
def database_url(servers: Servers) -> str:
    """Its own database, so the servers' rows never meet the rest of the suite's."""
    return _own_database(servers, WEB_DATABASE)


@pytest.fixture(scope="module")
def flow_database_url(servers: Servers) -> str:
    return _own_database(servers, FLOW_DATABASE)


@pytest.fixture(scope="module")
def live(
    database_url: str, flow_database_url: str, servers: Servers, scratch_dir: Path, web_build: Path
) -> Iterator[dict[str, str]]:
    """Three servers, started together: `make run`'s configuration (auth none, in-process
    worker, the page at /) and local accounts with 30-second access tokens (no worker: it runs no jobs) on one
    database, and local accounts with a worker and the page (the browser flow; its own database, queue and storage)."""
    common = {"ATELIER_DATABASE_URL": database_url, "ATELIER_REDIS_URL": servers.redis_url,
              "ATELIER_QUEUE_NAME": "atelier-web"}  # fmt: skip
    web = {**common, "ATELIER_DATA_DIR": str(scratch_dir / "web-none"), "ATELIER_WEB_DIR": str(web_build)}
    local = {**common, "ATELIER_DATA_DIR": str(scratch_dir / "web-local"), "ATELIER_AUTH": "local",
             "ATELIER_AUTH_SECRET": AUTH_SECRET, "ATELIER_ACCESS_TOKEN_TTL_SECONDS": "30",
             "ATELIER_WORKER_IN_PROCESS": "false"}  # fmt: skip
    flow = {**common, "ATELIER_DATABASE_URL": flow_database_url, "ATELIER_DATA_DIR": str(scratch_dir / "web-flow"),
            "ATELIER_AUTH": "local", "ATELIER_AUTH_SECRET": AUTH_SECRET, "ATELIER_WEB_DIR": str(web_build),
            "ATELIER_QUEUE_NAME": "atelier-flow"}  # fmt: skip
    with atelier_servers(
        (web, scratch_dir / "web-none.log"),
        (local, scratch_dir / "web-local.log"),
        (flow, scratch_dir / "web-flow.log"),
    ) as urls:
        yield {"web": urls[0], "local": urls[1], "flow": urls[2]}


@pytest.fixture(scope="module")
def web_server(live: dict[str, str]) -> str:
    return live["web"]


@pytest.fixture(scope="module")
def auth_server(live: dict[str, str]) -> str:
    return live["local"]


def test_typescript_type_checks(node_tools: None) -> None:
    result = npm_tool("tsc", "--noEmit", "-p", "tsconfig.json")
    assert result.returncode == 0, "tsc found type errors:\n" + result.stdout + result.stderr


def test_hooks_against_real_servers(web_server: str, auth_server: str, scratch_dir: Path) -> None:
    result = npm_tool("vitest", "run", env={"ATELIER_URL": web_server, "ATELIER_AUTH_URL": auth_server})
    output = result.stdout + result.stderr
    logs = "".join(f"\n--- {name} (tail) ---\n" + (scratch_dir / name).read_text()[-4000:]
                   for name in ("web-none.log", "web-local.log"))  # fmt: skip
    assert result.returncode == 0, "vitest failed:\n" + output + logs
    assert " passed" in output and " failed" not in output, output


def test_bundle_stays_small(web_build: Path) -> None:
    scripts = list((web_build / "assets").glob("*.js"))
    assert scripts, "the build produced no JavaScript"
    gzipped = sum(len(gzip.compress(path.read_bytes(), 9)) for path in scripts)
    assert gzipped < JS_GZIP_BUDGET, f"JS is {gzipped} bytes gzipped (budget {JS_GZIP_BUDGET})"
    assert (web_build / "index.html").read_text().count("/assets/") >= 2  # script + stylesheet


def test_page_end_to_end_in_headless_chromium(web_server: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    screenshot = CLIENTS / "e2e-output" / "board.png"  # gitignored; look at it after a run
    screenshot.unlink(missing_ok=True)
    result = npm_tool(
        "node", "e2e/run.mjs", env={"ATELIER_URL": web_server, "E2E_SCREENSHOT": str(screenshot)}
    )
    assert result.returncode == 0, "the end-to-end run failed:\n" + result.stdout + result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True
    assert summary["image"] == [512, 512]  # local-image's square PNG, loaded by the browser
    assert summary["durations"] == {"audio": 1.0, "video": 1.0}  # the players loaded the served WAV and MP4
    assert summary["seconds"] < 60, summary
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"e2e: {summary['seconds']} s, screenshot {screenshot}")


def test_whole_flow_in_headless_chromium(live: dict[str, str], scratch_dir: Path) -> None:
    """Sign up → log in → board → variations → live progress → failure + retry → detail (keys, like, tag) →
    remix with a picked image → lineage → public + invite → password → the invited user → feed → explore →
    search → 375 px; axe-core on every screen, no console errors, a screenshot per screen."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    shots = CLIENTS / "e2e-output" / "flow"  # gitignored; look at them after a run
    for old in shots.glob("*.png"):
        old.unlink()
    outbox = scratch_dir / "web-flow" / "outbox"  # where the server writes mail when no SMTP is set
    env = {"ATELIER_URL": live["flow"], "E2E_DIR": str(shots), "E2E_OUTBOX": str(outbox)}
    result = npm_tool("node", "e2e/flow.mjs", env=env)
    log = (scratch_dir / "web-flow.log").read_text()[-4000:]
    assert result.returncode == 0, (
        "the flow failed:\n" + result.stdout + result.stderr + "\n--- server ---\n" + log
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True
    assert summary["axeViolations"] == 0, summary  # none at all; serious/critical ones already fail the run
    assert "Processing" in summary["progress"]["seen"], summary  # the phase was shown while it ran
    assert len(summary["screenshots"]) >= 15
    assert all(Path(shot["path"]).read_bytes()[:4] == b"\x89PNG" for shot in summary["screenshots"])
    assert summary["seconds"] < 120, summary
    print(f"flow: {summary['seconds']} s, {len(summary['screenshots'])} screenshots in {shots}")
