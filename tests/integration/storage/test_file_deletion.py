"""Deleting a generation or a board deletes its stored files, by a SAQ job after the commit."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.settings import Settings
from tests.integration.storage.uploads import png_bytes


async def stored_keys(engine: AsyncEngine, generation_id: str) -> list[str]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT storage_key, thumbnail_key FROM generations WHERE id = :id"),
                {"id": generation_id},
            )
        ).one()
    return [k for k in row if k]


async def run_to_completion(
    client: httpx.AsyncClient, board_id: str, generator: str = "local-image", **params: object
) -> str:
    body = {"boardId": board_id, "generatorName": generator, "inputParams": {"prompt": "a heron", **params}}
    created = (await client.post("/api/v1/generations", json=body)).json()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = (await client.get(f"/api/v1/generations/{created['id']}")).json()
        if found["status"] in {"completed", "failed"}:
            assert found["status"] == "completed", found
            return str(found["id"])
        await asyncio.sleep(0.05)
    raise AssertionError("generation did not finish")


async def wait_gone(paths: list[Path], within_s: float = 15) -> None:
    deadline = time.monotonic() + within_s
    while any(p.exists() for p in paths):
        assert time.monotonic() < deadline, [str(p) for p in paths if p.exists()]
        await asyncio.sleep(0.05)


async def test_deleting_a_generation_deletes_its_files(
    client: httpx.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Gone"})).json()
    keep = await run_to_completion(client, board["id"])
    doomed = await run_to_completion(client, board["id"])
    doomed_files = [settings.storage_dir / k for k in await stored_keys(engine, doomed)]
    kept_files = [settings.storage_dir / k for k in await stored_keys(engine, keep)]
    assert len(doomed_files) == 2 and all(p.is_file() for p in doomed_files + kept_files)  # image + thumbnail

    assert (await client.delete(f"/api/v1/generations/{doomed}")).status_code == 204
    await wait_gone(doomed_files)
    assert all(p.is_file() for p in kept_files)


async def test_deleting_a_board_deletes_every_file_on_it(
    client: httpx.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Whole board"})).json()
    other = (await client.post("/api/v1/boards", json={"title": "Neighbour"})).json()
    generated = await run_to_completion(client, board["id"])
    neighbour = await run_to_completion(client, other["id"])
    data = png_bytes()
    body = {"boardId": board["id"], "filename": "p.png", "contentType": "image/png", "sizeBytes": len(data)}
    pending = (await client.post("/api/v1/direct-uploads", json=body)).json()  # uploaded, never confirmed
    await client.put(pending["uploadUrl"], content=data, headers=pending["headers"])
    files = [settings.storage_dir / k for k in await stored_keys(engine, generated)]
    files.append(settings.storage_dir / f"{pending['uploadUrl'].split('/api/v1/files/')[1].split('?')[0]}")
    assert all(p.is_file() for p in files), files
    neighbour_files = [settings.storage_dir / k for k in await stored_keys(engine, neighbour)]

    query = "mutation($id: UUID!) { deleteBoard(id: $id) }"
    deleted = await client.post("/graphql", json={"query": query, "variables": {"id": board["id"]}})
    assert deleted.json() == {"data": {"deleteBoard": True}}
    await wait_gone(files)
    assert all(p.is_file() for p in neighbour_files)
