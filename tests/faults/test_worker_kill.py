"""Fault: worker kill -9 (issue 13).

What is staged: tests/faults/scenarios.py; what is asserted: tests/faults/checks.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.faults.checks import Outcome

pytestmark = pytest.mark.slow


@pytest.mark.filterwarnings("default::tests.faults.timing.LateKill")  # reported, not an error
def test_worker_kill(run_scenario: Callable[[str], Outcome]) -> None:
    run_scenario("worker kill -9").assert_ok()
