"""Likes and the public feed over REST and GraphQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import seed_generations
from tests.contract.drivers import ApiError, Driver, GraphQLDriver


async def _like(api: Driver, generation_id: str, *, undo: bool = False) -> dict[str, Any]:
    if isinstance(api, GraphQLDriver):
        name = "unlikeGeneration" if undo else "likeGeneration"
        q = f"mutation($id: UUID!) {{ {name}(id: $id) {{ generationId likeCount likedByMe }} }}"
        return (await api.execute(q, id=generation_id))[name]  # type: ignore[no-any-return]
    http: httpx.AsyncClient = api.http  # type: ignore[attr-defined]
    method = http.delete if undo else http.post
    response = await method(f"/api/v1/generations/{generation_id}/likes", headers=api.headers)  # type: ignore[attr-defined]
    if response.status_code >= 400:
        raise ApiError(response.json()["code"], response.json()["detail"], response.status_code)
    return response.json()  # type: ignore[no-any-return]


async def _feed(api: Driver, limit: int, cursor: str | None) -> dict[str, Any]:
    if isinstance(api, GraphQLDriver):
        q = "query($n: Int!, $a: String) { feed(first: $n, after: $a) { items { id likeCount } nextCursor } }"
        return (await api.execute(q, n=limit, a=cursor))["feed"]  # type: ignore[no-any-return]
    params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
    response = await api.http.get("/api/v1/generations/feed", params=params)  # type: ignore[attr-defined]
    if response.status_code >= 400:
        raise ApiError(response.json()["code"], response.json()["detail"], response.status_code)
    return response.json()  # type: ignore[no-any-return]


async def test_like_is_idempotent_and_counted(api: Driver, engine: AsyncEngine) -> None:
    board = await api.create_board(title="Likeable")
    [generation] = await seed_generations(engine, board["id"], board["ownerId"], 1)
    first = await _like(api, generation)
    again = await _like(api, generation)
    assert (first["likeCount"], first["likedByMe"]) == (1, True)
    assert again["likeCount"] == 1
    undone = await _like(api, generation, undo=True)
    assert (undone["likeCount"], undone["likedByMe"]) == (0, False)


async def test_feed_pages_through_public_completed_generations(api: Driver, engine: AsyncEngine) -> None:
    public = await api.create_board(title="Gallery", isPublic=True)
    private = await api.create_board(title="Drafts")
    shown = await seed_generations(engine, public["id"], public["ownerId"], 5)
    await seed_generations(engine, public["id"], public["ownerId"], 2, status="failed", progress=0.5)
    await seed_generations(engine, private["id"], private["ownerId"], 3)
    seen: list[str] = []
    cursor = None
    while True:
        page = await _feed(api, 2, cursor)
        seen.extend(item["id"] for item in page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(shown)
    assert len(seen) == len(set(seen))  # no duplicates across pages


async def test_a_garbled_cursor_is_bad_input(api: Driver) -> None:
    with pytest.raises(ApiError) as raised:
        await _feed(api, 2, "%%%not-a-cursor")
    assert raised.value.code == "BAD_USER_INPUT"
