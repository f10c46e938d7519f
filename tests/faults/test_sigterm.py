"""Fault: worker SIGTERM (issue 13).

What is staged: tests/faults/scenarios.py; what is asserted: tests/faults/checks.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_sigterm(run_scenario) -> None:
    run_scenario("worker SIGTERM").assert_ok()
