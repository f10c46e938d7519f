"""Schemathesis' GraphQL mode against /graphql: queries and mutations generated from the introspected
schema. Two built-in checks are replaced (tests/conformance/graphql_hooks.py says why): errors must carry
a client-side extensions.code instead of being absent, and positive_data_acceptance is off because SDL
cannot state lengths and patterns, so schema-valid arguments can be BAD_USER_INPUT."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from tests.conformance.schemathesis_run import run_schemathesis, unreached, write_config
from tests.conformance.test_openapi_schemathesis import ALLOW_NUL
from tests.integration.live.serving import served

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("clean_db")]
MAX_EXAMPLES = 2
# schemathesis' max-time: every query and mutation must be reached within it (asserted; see schemathesis_run)
MAX_TIME_S = 35


async def test_graphql_conforms(open_app: Litestar, tmp_path: Path) -> None:
    async with served(open_app) as base:
        async with httpx.AsyncClient(base_url=base) as http:
            assert (await http.post("/api/v1/boards", json={"title": "Seeded"})).status_code == 201
        config = write_config(
            tmp_path / "schemathesis.toml",
            parameters={},
            max_examples=MAX_EXAMPLES,
            max_time=MAX_TIME_S,
            phases=("fuzzing",),
            top_level=['hooks = "tests.conformance.graphql_hooks"'],
            allow_nul=ALLOW_NUL,  # NUL in texts too (see that module)
            per_operation={},
        )
        text = config.read_text().replace(
            "[checks]\nenabled = true",
            "[checks]\nenabled = true\nnot_a_server_error.enabled = false\n"
            "positive_data_acceptance.enabled = false",
        )
        config.write_text(text)
        code, output = await run_schemathesis(config, f"{base}/graphql", limit_s=MAX_TIME_S + 60)
    (tmp_path / "schemathesis.out").write_text(output)
    assert code == 0, output
    assert unreached(output) == 0, output  # the budget must not starve any query or mutation
