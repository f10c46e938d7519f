"""Fault: storage full (issue 13). See tests/faults/scenarios.py for what is staged and checks.py for what is asserted."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_storage_full(run_scenario) -> None:
    run_scenario("storage full").assert_ok()
