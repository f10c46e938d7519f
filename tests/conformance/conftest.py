"""Apps for the conformance runs: rate limits out of the way (a fuzzer sends thousands of requests a minute)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar

from app.server import create_app
from app.settings import Settings
from tests.conftest import running

UNLIMITED = {"rate_limit_user_per_minute": 1_000_000, "rate_limit_tenant_per_minute": 1_000_000}


@pytest.fixture(scope="session")
async def open_app(settings: Settings) -> AsyncIterator[Litestar]:
    """ATELIER_AUTH=none with the in-process worker, as `make run` serves it."""
    async with running(create_app(settings.model_copy(update=UNLIMITED))) as application:
        yield application
