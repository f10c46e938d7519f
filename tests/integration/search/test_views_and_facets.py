"""Facets of a search, and saved views (own, shared on a board, permissions), through REST and GraphQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import sign_up
from tests.integration.search.drivers import ApiError, SearchGraphQL, SearchRest, seed_rows


async def test_facets_count_the_current_query(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    owner = board["ownerId"]
    ids = await seed_rows(
        engine, board["id"], owner,
        [{"input_params": {"prompt": "moon"}}, {"input_params": {"prompt": "moon"}, "generator_name": "sdxl"},
         {"input_params": {"prompt": "moon"}, "artifact_type": "video", "age_seconds": 8 * 86400},
         {"input_params": {"prompt": "sun"}}],
    )  # fmt: skip
    tag = (await client.post("/api/v1/tags", json={"name": "Night sky"})).json()
    for generation in ids[:2]:
        await client.post(f"/api/v1/generations/{generation}/tags", json={"tagId": tag["id"]})
    facets = await search_api.facets(q="moon")
    assert (facets["total"], facets["complete"], facets["skipped"]) == (3, True, [])
    assert {f["value"]: f["count"] for f in facets["generators"]} == {"local-image": 2, "sdxl": 1}
    assert {f["value"]: f["count"] for f in facets["artifactTypes"]} == {"image": 2, "video": 1}
    assert [(f["value"], f["label"], f["count"]) for f in facets["tags"]] == [("night-sky", "Night sky", 2)]
    assert sum(f["count"] for f in facets["days"]) == 3 and len(facets["days"]) == 2
    assert sum(f["count"] for f in facets["weeks"]) == 3
    narrowed = await search_api.facets(q="moon", artifactTypes=["image"])
    assert narrowed["total"] == 2


@pytest.mark.parametrize("driver", [SearchRest, SearchGraphQL], ids=["rest", "graphql"])
async def test_saved_views_own_and_shared(local_http: httpx.AsyncClient, driver: Any) -> None:
    ann, bob, eve = [await sign_up(local_http, f"{n}@views.test") for n in ("ann", "bob", "eve")]
    as_ann, as_bob, as_eve = (driver(local_http, u["headers"]) for u in (ann, bob, eve))
    board = (await local_http.post("/api/v1/boards", json={"title": "Team"}, headers=ann["headers"])).json()
    await local_http.post(
        f"/api/v1/boards/{board['id']}/members", json={"userId": bob["id"], "role": "viewer"},
        headers=ann["headers"],
    )  # fmt: skip
    query = {"q": "fox", "artifactTypes": ["image"], "where": ["input.steps>=30"], "cursor": "dropped"}
    mine = await as_ann.create_view(name="Foxes", query=query)
    assert mine["query"]["q"] == "fox" and "cursor" not in mine["query"]
    shared = await as_ann.create_view(name="Team foxes", query={"q": "fox"}, boardId=board["id"])
    assert {v["name"] for v in await as_ann.views()} == {"Foxes", "Team foxes"}
    assert [v["name"] for v in await as_bob.views()] == ["Team foxes"]  # a reader of the board
    assert [v["name"] for v in await as_bob.views(board["id"])] == ["Team foxes"]
    assert await as_eve.views() == []  # neither hers nor on a board she reads

    for bad, code in (({"name": "Foxes", "query": {}}, "CONFLICT"),
                      ({"name": "x", "query": {"where": ["input.a)=1"]}}, "BAD_USER_INPUT"),
                      ({"name": "x", "query": {"nope": 1}}, "BAD_USER_INPUT")):  # fmt: skip
        with pytest.raises(ApiError) as refused:
            await as_ann.create_view(**bad)
        assert refused.value.code == code
    with pytest.raises(ApiError) as viewer_shares:  # sharing on a board needs editor access there
        await as_bob.create_view(name="mine", query={}, boardId=board["id"])
    assert viewer_shares.value.code == "FORBIDDEN"
    with pytest.raises(ApiError) as not_hers:
        await as_eve.delete_view(shared["id"])
    assert not_hers.value.code == "NOT_FOUND"
    with pytest.raises(ApiError) as not_his:
        await as_bob.delete_view(shared["id"])
    assert not_his.value.code == "FORBIDDEN"
    await as_ann.delete_view(mine["id"])
    assert [v["name"] for v in await as_ann.views()] == ["Team foxes"]
