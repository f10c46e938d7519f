"""Schemathesis 4 (a tool nobody here wrote) against the served OpenAPI document: every check, the stateful
phase following the document's links, in ATELIER_AUTH=none and in local mode with a bearer token. The
document must say exactly what the server does, so the run finds nothing.

Path parameters are pinned to seeded rows so operations reach their logic instead of answering 404.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from tests.conformance.schemathesis_run import run_schemathesis, unreached, write_config
from tests.integration.live.serving import served

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("clean_db")]

# Schema-valid requests the server refuses for reasons no JSON Schema can state; each is a declared status.
_DEFAULT: list[int | str] = ["2xx", "3xx", 401, 403, 404, 409, 429, "5xx"]  # schemathesis' own list
# inputParams are checked against the generator's schema (422); free JSON the database cannot store is 400.
_GENERATOR_INPUT = [*_DEFAULT, 400, 402, 422]
_UPLOAD_BYTES = [*_DEFAULT, 413, 415, 422]  # the bytes must be a supported format of the declared type
_FREE_JSON = [*_DEFAULT, 400]  # open-ended JSON (board settings): a NUL the database cannot store is refused
_ISSUED_TOKEN = [*_DEFAULT, 422]  # a token must be one the server mailed, unused and unexpired
# A search's rules across fields: a min above its max, a range (<, >=) on a non-number, a cursor of another search.
_SEARCH = [*_DEFAULT, 422]
ACCEPTED: dict[str, list[int | str]] = {
    "CreateBoard": _FREE_JSON,
    "UpdateBoard": _FREE_JSON,
    "CreateTag": _FREE_JSON,
    "UpdateTag": _FREE_JSON,
    "UpdateTenant": _FREE_JSON,
    "CreateGeneration": _GENERATOR_INPUT,
    "EstimateGenerationCost": _GENERATOR_INPUT,
    "Regenerate": _GENERATOR_INPUT,
    "UploadArtifactFile": _UPLOAD_BYTES,
    "UploadArtifactFileBoards": _UPLOAD_BYTES,
    "UploadArtifactFromUrl": [*_DEFAULT, 422],  # a well-formed URL may be private, unreachable or no file
    "ConfirmDirectUpload": [*_DEFAULT, 422],  # confirming before the bytes were PUT
    # Exactly one of count, seeds or sweep (a oneOf over defaulted fields no generator honours), and the inputs.
    "CreateGenerationBatch": _GENERATOR_INPUT,
    "SearchGenerations": _SEARCH,
    "GetGenerationFacets": _SEARCH,
    "CreateSavedView": _SEARCH,
    "VerifyEmail": _ISSUED_TOKEN,
    "ResetPassword": _ISSUED_TOKEN,
    "AcceptInvitation": _ISSUED_TOKEN,
    "RevokeCredits": [*_DEFAULT, 422],  # never below the user's balance
}
_NUL = 400  # any text may hold NUL, which PostgreSQL cannot store: 400 BAD_USER_INPUT (app/db/refusals.py)


def accepted_statuses(operation_ids: list[str]) -> dict[str, list[int | str]]:
    """ACCEPTED for every operation, each with the NUL refusal (ALLOW_NUL: schemathesis puts NUL in any text;
    a pattern against it on every string of the schema would only burden generated clients)."""
    return {op: list(dict.fromkeys([*ACCEPTED.get(op, _DEFAULT), _NUL])) for op in operation_ids}


PER_OPERATION: dict[str, list[str]] = {
    # A live stream: reading its first event (the snapshot) is enough; a pending one never ends by itself.
    "StreamGenerationProgress": ["max-stream-events = 1", "request-timeout = 5"],
    # A board stream lasts until the client leaves (no events unless the board changes): tested by
    # tests/conformance/test_sse_eventsource.py with a spec-following EventSource instead.
    "StreamBoardGenerations": ["enabled = false"],
    # A multipart form carries text only: a value of the wrong type (a number or null where the schema says
    # string) reaches the server as the text of a form field, which is valid. So "negative" multipart cases
    # can be valid requests (seen once in the stateful phase as ST201 on POST /api/uploads/artifact: repeated
    # undeclared fields, parent_generation_id "null"). The byte checks are covered by tests/security/.
    "UploadArtifactFile": ["checks.negative_data_rejection.enabled = false"],
    "UploadArtifactFileBoards": ["checks.negative_data_rejection.enabled = false"],
}
# NUL in texts and JSON keys is generated too: every input answers 4xx, never 500 (issue 14; app/db/refusals.py
# maps what the database refuses). The GraphQL run shares this.
ALLOW_NUL = True
MAX_EXAMPLES = {"none": 2, "bearer": 1}  # fuzzed cases per operation (the coverage phase adds its own)
# Seconds per run (schemathesis' max-time, split over the operations; with the GraphQL run's 35 all runs stay
# within the suite's three minutes). Each run must still reach every operation (asserted). Measured on 2
# shared cores (four other suites running): none 66 s (coverage 22, fuzzing 32, stateful 5), bearer 57 s
# (fuzzing 43, stateful 7), GraphQL 40 s: 163 s for the three tests, every operation reached in each.
BUDGET_S = {"none": 60, "bearer": 50}


async def _seed(http: httpx.AsyncClient) -> dict[str, str]:
    """One of each object the path parameters name, owned by the caller, and a second "spare" of each
    for the operations that delete: the pinned objects stay, so links from a new object never lead to a
    pinned id that a delete already removed (schemathesis' parameters override linked values)."""
    ids: dict[str, str] = {}
    for prefix in ("", "spare_"):
        board = (await http.post("/api/v1/boards", json={"title": f"Seeded {prefix}"})).json()
        generation = await http.post(
            "/api/v1/generations",
            json={"boardId": board["id"], "generatorName": "atelier-test", "inputParams": {"text": "seeded"}},
        )
        assert generation.status_code == 201, generation.text
        tag = (await http.post("/api/v1/tags", json={"name": f"seeded {prefix}"})).json()
        ids |= {f"{prefix}board_id": board["id"], f"{prefix}generation_id": generation.json()["id"]}
        ids |= {f"{prefix}tag_id": tag["id"], f"{prefix}slug": tag["slug"]}
    batch = await http.post(
        "/api/v1/generation-batches",
        json={
            "boardId": ids["board_id"],
            "generatorName": "atelier-test",
            "inputParams": {"text": "b"},
            "count": 2,
        },
    )
    assert batch.status_code == 201, batch.text
    ids["batch_id"] = batch.json()["batchId"]
    me = (await http.get("/api/v1/users/me")).json()
    return ids | {"user_id": me["id"], "name": "atelier-test", "provider": "replicate"}


def _pinned(ids: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Project-wide parameters, and per deleting operation the spare ids instead."""
    spare = {name.removeprefix("spare_"): value for name, value in ids.items() if name.startswith("spare_")}
    shared = {name: value for name, value in ids.items() if not name.startswith("spare_")}
    # A pinned id also replaces the id a stateful link would carry from a create to these deletes, so
    # `ensure_resource_availability` there would test the spare (deleted once, 404 afterwards: seen as
    # "ST302 Created resource not found" for POST /tags → DELETE /tags/{tag_id}), not the created resource.
    per_operation = {
        operation: [
            f'parameters = {{ "{name}" = "{spare[name]}" }}',
            "checks.ensure_resource_availability.enabled = false",
        ]
        for operation, name in (
            ("DeleteBoard", "board_id"),
            ("DeleteGeneration", "generation_id"),
            ("DeleteTag", "tag_id"),
        )
    }
    # The member operations take the pinned user_id (the seeding user), which a link from POST /boards does not
    # carry: on a board that link just created, that user owns the board and is no member (404), which is
    # not "a created resource not found" (seen as ST302 for POST /boards → PATCH .../members/{user_id}).
    for operation in ("UpdateBoardMemberRole", "RemoveBoardMember"):
        per_operation[operation] = ["checks.ensure_resource_availability.enabled = false"]
    return shared, per_operation


async def _run(
    app: Litestar,
    tmp_path: Path,
    headers: dict[str, str] | None = None,
    *,
    phases: tuple[str, ...],
    who: str,
) -> None:
    async with served(app) as base:
        async with httpx.AsyncClient(base_url=base, headers=headers) as http:
            parameters, spares = _pinned(await _seed(http))
            document = (await http.get("/schema/openapi.json")).json()
        operation_ids = [
            op["operationId"] for item in document["paths"].values() for op in item.values()
            if isinstance(op, dict) and "operationId" in op
        ]  # fmt: skip
        per_operation = {**PER_OPERATION}
        for operation, lines in spares.items():
            per_operation[operation] = [*per_operation.get(operation, []), *lines]
        config = write_config(
            tmp_path / "schemathesis.toml",
            parameters=parameters,
            headers=headers,
            accepted=accepted_statuses(operation_ids),
            per_operation=per_operation,
            max_examples=MAX_EXAMPLES[who],
            max_time=BUDGET_S[who],
            phases=phases,
            allow_nul=ALLOW_NUL,
        )
        code, output = await run_schemathesis(
            config, f"{base}/schema/openapi.json", limit_s=BUDGET_S[who] + 60
        )
    (tmp_path / "schemathesis.out").write_text(output)
    assert code == 0, output
    assert unreached(output) == 0, output  # the budget must not starve any operation


async def test_openapi_conforms_without_auth(open_app: Litestar, tmp_path: Path) -> None:
    """Every phase: examples, coverage (boundaries, negative data, an undeclared method), fuzzing, links."""
    await _run(
        open_app,
        tmp_path,
        phases=("examples", "coverage", "fuzzing", "stateful"),
        who="none",
    )


async def test_openapi_conforms_with_a_bearer_token(local_app: Litestar, tmp_path: Path) -> None:
    async with served(local_app) as base, httpx.AsyncClient(base_url=base) as http:
        session: Any = (
            await http.post(
                "/api/v1/auth/signup", json={"email": "st@example.com", "password": "pw-" + "x" * 12}
            )
        ).json()
    # What differs from the run above is who calls: fuzzing and the linked scenarios, as a signed-in user.
    token = {"Authorization": f"Bearer {session['accessToken']}"}
    await _run(local_app, tmp_path, token, phases=("fuzzing", "stateful"), who="bearer")
