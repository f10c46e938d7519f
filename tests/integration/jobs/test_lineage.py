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


async def _chain(engine: Any, board: dict[str, Any], links: list[tuple[int, int]], count: int) -> list[str]:
    """`count` generations and edges (child index, parent index), written directly (the worker is not needed)."""
    from sqlalchemy import text

    from tests.conftest import seed_generations

    ids = await seed_generations(engine, board["id"], board["ownerId"], count)
    async with engine.begin() as conn:
        for child, parent in links:
            await conn.execute(
                text(
                    "INSERT INTO generation_inputs (tenant_id, generation_id, input_generation_id, role)"
                    " VALUES (:t, :c, :p, 'image')"
                ),
                {"t": board["tenantId"], "c": ids[child], "p": ids[parent]},
            )
    return ids


async def test_a_25_deep_chain_and_a_wide_fan_out(client: httpx.AsyncClient, engine: Any) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Deep"})).json()
    deep = await _chain(engine, board, [(i + 1, i) for i in range(25)], 26)
    up = (await client.get(f"/api/v1/generations/{deep[-1]}/lineage", params={"maxDepth": 25})).json()
    assert len(up["edges"]) == 25 and max(e["depth"] for e in up["edges"]) == 25
    capped = (await client.get(f"/api/v1/generations/{deep[-1]}/lineage", params={"maxDepth": 10})).json()
    assert max(e["depth"] for e in capped["edges"]) == 10

    fan = await _chain(engine, board, [(i, 0) for i in range(1, 41)], 41)
    down = (
        await client.get(f"/api/v1/generations/{fan[0]}/lineage", params={"direction": "descendants"})
    ).json()
    assert len(down["edges"]) == 40 and {e["depth"] for e in down["edges"]} == {1}
    query = "query($id: UUID!) { generation(id: $id) { descendants(maxDepth: 2) { children { generation { id } } } } }"
    tree = (await client.post("/graphql", json={"query": query, "variables": {"id": fan[0]}})).json()["data"]
    assert len(tree["generation"]["descendants"]["children"]) == 40


async def test_a_cycle_in_the_data_cannot_loop(client: httpx.AsyncClient, engine: Any) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Loop"})).json()
    ids = await _chain(
        engine, board, [(1, 0), (2, 1), (0, 2)], 3
    )  # a → b → c → a (only bad data could do this)
    up = (await client.get(f"/api/v1/generations/{ids[0]}/lineage", params={"maxDepth": 50})).json()
    assert {(e["generationId"], e["inputGenerationId"]) for e in up["edges"]} == {
        (ids[1], ids[0]),
        (ids[2], ids[1]),
        (ids[0], ids[2]),
    }
    query = (
        "query($id: UUID!) { generation(id: $id) { ancestry(maxDepth: 50) {"
        " parents { parents { parents { generation { id } } } } } } }"
    )
    body = (await client.post("/graphql", json={"query": query, "variables": {"id": ids[0]}})).json()
    assert (
        body["data"]["generation"]["ancestry"]["parents"][0]["parents"][0]["parents"] == []
    )  # the path stops at a
