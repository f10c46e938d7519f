"""One real deployment (PostgreSQL, Valkey, an API and two workers as separate processes) for the fault suite.

Every scenario leaves the deployment as it found it (or `ensure_running` brings it back), so the modules share
it. When a test fails, the tails of every process's stdout/stderr are printed with the failure.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Generator, Iterator

import pytest

from tests.faults.checks import Outcome
from tests.faults.client import Client
from tests.faults.harness import Deployment
from tests.faults.scenarios import SCENARIOS, Skipped
from tests.faults.timing import LateKill


@pytest.fixture(scope="session")
def deployment() -> Iterator[Deployment]:
    with Deployment() as running:
        yield running


@pytest.fixture(scope="session")
def client(deployment: Deployment) -> Iterator[Client]:
    api = Client(deployment.base_url, deployment.database_dsn)
    yield api
    api.close()


@pytest.fixture
def run_scenario(deployment: Deployment, client: Client) -> Callable[[str], Outcome]:
    """Run a scenario by name; on failure the processes' log tails go into the report."""

    def run(name: str) -> Outcome:
        try:
            outcome = SCENARIOS[name](deployment, client)
        except Skipped as skipped:
            pytest.skip(str(skipped))
        for note in outcome.notes:
            print(f"{name}: {note}")
            if note.startswith("LATE KILL"):  # reported in the test summary, not only in captured output
                warnings.warn(f"{name}: {note}", LateKill, stacklevel=1)
        print(
            f"{name}: recovery {outcome.recovery_s} s, duplicates {outcome.duplicates}, lost {outcome.lost}"
        )
        return outcome

    return run


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and "deployment" in getattr(item, "fixturenames", ()):
        running = getattr(item, "funcargs", {}).get("deployment")
        if isinstance(running, Deployment):
            report.sections.append(("process logs", running.tails()))
    return report
