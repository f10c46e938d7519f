"""Lineage: inputs that reference earlier generations are recorded with the field name as role, and the
ancestry/descendants of a generation come back by recursive SQL, over REST and GraphQL."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

ANCESTRY = """query($id: UUID!) { generation(id: $id) {
  inputArtifacts { generationId role artifactType generation { id } }
  ancestry(maxDepth: 5) { generation { id } depth parents { generation { id } role depth parents { generation { id } depth } } }
} }"""
DESCENDANTS = (
    "query($id: UUID!) { generation(id: $id) { descendants { generation { id }"
    " children { generation { id } children { generation { id } } } } } }"
)


async def _run(client: httpx.AsyncClient, board_id: str, **params: Any) -> dict[str, Any]:
    body = {
        "boardId": board_id,
        "generatorName": "local-image",
        "inputParams": {"prompt": "layer", "size": "small", **params},
    }
    created = await client.post("/api/v1/generations", json=body)
    assert created.status_code == 201, created.text
    for _ in range(200):
        done = (await client.get(f"/api/v1/generations/{created.json()['id']}")).json()
        if done["status"] in {"completed", "failed"}:
            assert done["status"] == "completed", done
            return done  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    raise AssertionError("generation did not finish")


async def test_a_chain_is_recorded_and_traced_both_ways(client: httpx.AsyncClient) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Layers"})).json()
    a = await _run(client, board["id"])
    b = await _run(client, board["id"], init_image=a["id"])
    c = await _run(client, board["id"], init_image=b["id"])

    rest = (
        await client.get(f"/api/v1/generations/{c['id']}/lineage", params={"direction": "ancestry"})
    ).json()
    edges = {(e["generationId"], e["inputGenerationId"], e["role"], e["depth"]) for e in rest["edges"]}
    assert edges == {(c["id"], b["id"], "init_image", 1), (b["id"], a["id"], "init_image", 2)}
    assert {g["id"] for g in rest["generations"]} == {a["id"], b["id"], c["id"]}

    data = (await client.post("/graphql", json={"query": ANCESTRY, "variables": {"id": c["id"]}})).json()[
        "data"
    ]
    assert data["generation"]["inputArtifacts"] == [
        {
            "generationId": b["id"],
            "role": "init_image",
            "artifactType": "IMAGE",
            "generation": {"id": b["id"]},
        }
    ]
    tree = data["generation"]["ancestry"]
    assert tree["generation"]["id"] == c["id"] and tree["depth"] == 0
    assert tree["parents"][0]["generation"]["id"] == b["id"] and tree["parents"][0]["role"] == "init_image"
    assert tree["parents"][0]["parents"][0]["generation"]["id"] == a["id"]

    down = (await client.post("/graphql", json={"query": DESCENDANTS, "variables": {"id": a["id"]}})).json()[
        "data"
    ]
    child = down["generation"]["descendants"]["children"][0]
    assert child["generation"]["id"] == b["id"]
    assert child["children"][0]["generation"]["id"] == c["id"]


async def test_unknown_inputs_are_rejected(client: httpx.AsyncClient) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Nope"})).json()
    body = {
        "boardId": board["id"],
        "generatorName": "local-image",
        "inputParams": {"prompt": "x", "init_image": str(uuid.uuid4())},
    }
    response = await client.post("/api/v1/generations", json=body)
    assert (response.status_code, response.json()["code"]) == (422, "BAD_USER_INPUT")
