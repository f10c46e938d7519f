"""A reference input takes the artifact type its catalog entry declares: anything else is a clear 422 (REST)
or BAD_USER_INPUT (GraphQL) naming the field, and nothing is queued or paid for."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fakes.fal import FakeFal
from tests.integration.providers.conftest import wait_for

CREATE = """mutation($input: CreateGenerationInput!) { createGeneration(input: $input) { id } }"""


async def _made(http: httpx.AsyncClient, board: str, generator: str, **params: Any) -> str:
    created = await http.post(
        "/api/v1/generations", json={"boardId": board, "generatorName": generator, "inputParams": params}
    )
    assert created.status_code == 201, created.text
    return str((await wait_for(http, created.json()["id"], {"completed"}, within_s=60))["id"])


async def test_a_reference_of_the_wrong_type_is_refused_in_both_apis(
    polling: httpx.AsyncClient, fake_fal: FakeFal
) -> None:
    board = (await polling.post("/api/v1/boards", json={"title": "types"})).json()["id"]
    tune = await _made(polling, board, "local-audio", prompt="a tune", duration_seconds=0.5)
    body = {"boardId": board, "generatorName": "fal-clarity-upscaler", "inputParams": {"image_url": tune}}
    refused = await polling.post("/api/v1/generations", json=body)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert "inputParams.source" in problem["detail"] and "is audio, not image" in problem["detail"]

    answer = (await polling.post("/graphql", json={"query": CREATE, "variables": {"input": body}})).json()
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", answer
    assert "is audio, not image" in answer["errors"][0]["message"]
    assert fake_fal.count("POST", "/fal-ai/clarity-upscaler") == 0

    image = await _made(polling, board, "local-image", prompt="a picture", shapes=2)
    body["inputParams"] = {"image_url": image}
    assert (await polling.post("/api/v1/generations", json=body)).status_code == 201
