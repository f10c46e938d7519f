"""Generations end to end on the real queue: REST/GraphQL create → SAQ worker (in-process) → committed states →
the stored artifact served over HTTP by a signed URL."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from tests.contract.drivers import ApiError, Driver, GraphQLDriver


async def _create(api: Driver, **fields: Any) -> dict[str, Any]:
    if isinstance(api, GraphQLDriver):
        q = (
            "mutation($i: CreateGenerationInput!) { createGeneration(input: $i) {"
            " id status generatorName artifactType inputParams } }"
        )
        variables = dict(fields)
        if "artifactType" in variables:
            variables["artifactType"] = variables["artifactType"].upper()
        return (await api.execute(q, i=variables))["createGeneration"]  # type: ignore[no-any-return]
    response = await api.http.post("/api/v1/generations", json=fields)  # type: ignore[attr-defined]
    if response.status_code >= 400:
        raise ApiError(response.json()["code"], response.json()["detail"], response.status_code)
    return response.json()  # type: ignore[no-any-return]


async def _wait(
    http: httpx.AsyncClient, generation_id: str, statuses: set[str], within_s: float = 15
) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        body = (await http.get(f"/api/v1/generations/{generation_id}")).json()
        if body["status"] in statuses or time.monotonic() > deadline:
            return body  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)


async def test_local_image_runs_to_completion_and_is_served(api: Driver, client: httpx.AsyncClient) -> None:
    board = await api.create_board(title="Renders")
    created = await _create(
        api,
        boardId=board["id"],
        generatorName="local-image",
        artifactType="image",
        inputParams={"prompt": "a fox", "seed": 3},
    )
    assert created["status"].lower() == "pending"
    assert created["inputParams"] == {
        "prompt": "a fox",
        "seed": 3,
        "size": "square",
        "shapes": 24,
        "init_image": None,
    }  # defaults filled
    done = await _wait(client, created["id"], {"completed", "failed"})
    assert (done["status"], done["progress"]) == ("completed", 1.0), done
    assert done["outputMetadata"]["width"] == 512
    image = await client.get(done["storageUrl"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    ranged = await client.get(done["storageUrl"], headers={"Range": "bytes=0-7"})
    assert (ranged.status_code, ranged.content) == (206, b"\x89PNG\r\n\x1a\n")
    thumbnail = await client.get(done["thumbnailUrl"])
    assert (thumbnail.status_code, thumbnail.headers["content-type"]) == (200, "image/jpeg")
    assert len(thumbnail.content) < len(image.content)
    forged = done["storageUrl"].replace("signature=", "signature=0")
    assert (await client.get(forged)).status_code == 403
    expired = (
        done["storageUrl"].split("?")[0] + "?expires=1&signature=" + done["storageUrl"].split("signature=")[1]
    )
    assert (await client.get(expired)).status_code == 403


async def test_bad_generation_requests_are_clear_errors(api: Driver) -> None:
    board = await api.create_board(title="Strict")
    cases = [
        ({"generatorName": "no-such-generator"}, "NOT_FOUND"),
        ({"generatorName": "local-image", "inputParams": {}}, "BAD_USER_INPUT"),  # prompt missing
        ({"generatorName": "local-image", "inputParams": {"prompt": "x", "size": "huge"}}, "BAD_USER_INPUT"),
        (
            {"generatorName": "local-image", "artifactType": "video", "inputParams": {"prompt": "x"}},
            "BAD_USER_INPUT",
        ),
    ]
    for fields, code in cases:
        with pytest.raises(ApiError) as raised:
            await _create(api, boardId=board["id"], **fields)
        assert raised.value.code == code, fields


async def test_idempotency_key_returns_the_same_generation(api: Driver) -> None:
    board = await api.create_board(title="Once")
    fields = {
        "boardId": board["id"],
        "generatorName": "local-text",
        "inputParams": {"prompt": "hi"},
        "idempotencyKey": "k-1",
    }
    first, second = await _create(api, **fields), await _create(api, **fields)
    assert first["id"] == second["id"]


async def test_cancel_stops_a_running_generation_and_is_never_overwritten(
    client: httpx.AsyncClient,
) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Slow"})).json()
    body = {
        "boardId": board["id"],
        "generatorName": "atelier-test",
        "inputParams": {"duration_seconds": 5, "steps": 50},
    }
    created = (await client.post("/api/v1/generations", json=body)).json()
    running = await _wait(client, created["id"], {"processing"})
    assert running["status"] == "processing"
    started = time.monotonic()
    cancelled = await client.post(f"/api/v1/generations/{created['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    await asyncio.sleep(2.5)  # longer than the worker's cancellation poll
    final = (await client.get(f"/api/v1/generations/{created['id']}")).json()
    assert final["status"] == "cancelled"
    assert final["progress"] < 1.0
    assert time.monotonic() - started < 5  # the 5 s job did not run to its end


async def test_a_permanent_failure_fails_with_the_reason(client: httpx.AsyncClient) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Doomed"})).json()
    body = {
        "boardId": board["id"],
        "generatorName": "atelier-test",
        "inputParams": {"fail": "permanent", "duration_seconds": 0},
    }
    created = (await client.post("/api/v1/generations", json=body)).json()
    done = await _wait(client, created["id"], {"completed", "failed"})
    assert done["status"] == "failed"
    assert "asked to fail" in done["errorMessage"]


async def test_generators_lists_schemas_and_estimates(api: Driver, client: httpx.AsyncClient) -> None:
    listed = (await client.get("/api/v1/generators", params={"artifactType": "IMAGE"})).json()
    assert [g["name"] for g in listed] == ["local-image"]
    assert listed[0]["inputSchema"]["properties"]["prompt"]["type"] == "string"
    body = (
        await client.post(
            "/graphql", json={"query": '{ generators(artifactType: "image") { name artifactType } }'}
        )
    ).json()
    assert body["data"]["generators"] == [{"name": "local-image", "artifactType": "IMAGE"}]
    estimate = await client.post(
        "/api/v1/generators/local-image/estimate", json={"inputParams": {"prompt": "x"}}
    )
    assert estimate.json() == {"generatorName": "local-image", "estimatedCost": 0.0}
