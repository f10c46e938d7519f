"""A search's seed has one bound (schema/api/common.py `Seed`): the query string, the facets body and a batch's
seeds accept and refuse the same numbers (the query string once took 10^30 that the facets body refused)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.api.common import SEED_LIMIT
from tests.integration.search.drivers import seed_rows

OUT_OF_BOUNDS = [10**30, SEED_LIMIT + 1, -SEED_LIMIT - 1, 2**64]


async def test_the_largest_seed_is_found_by_the_search_and_counted_by_the_facets(
    client: httpx.AsyncClient, board: dict[str, Any], engine: AsyncEngine
) -> None:
    rows = [
        {"input_params": {"prompt": "owl", "seed": SEED_LIMIT}},
        {"input_params": {"prompt": "owl", "seed": 7}},
    ]
    ids = await seed_rows(engine, board["id"], board["ownerId"], rows)
    page = await client.get("/api/v1/generations/search", params={"seed": SEED_LIMIT})
    facets = await client.post("/api/v1/generations/facets", json={"seed": SEED_LIMIT})
    assert page.status_code == 200, page.text
    assert [hit["generation"]["id"] for hit in page.json()["items"]] == ids[:1]
    assert facets.status_code == 200, facets.text
    assert facets.json()["total"] == 1, facets.json()


@pytest.mark.parametrize("seed", OUT_OF_BOUNDS, ids=["1e30", "limit+1", "-limit-1", "2^64"])
async def test_a_seed_out_of_bounds_is_refused_alike_by_search_facets_and_batches(
    client: httpx.AsyncClient, board: dict[str, Any], seed: int
) -> None:
    page = await client.get("/api/v1/generations/search", params={"seed": str(seed)})
    facets = await client.post("/api/v1/generations/facets", json={"seed": seed})
    batch = await client.post(
        "/api/v1/generation-batches",
        json={"boardId": board["id"], "generatorName": "local-image", "inputParams": {"prompt": "owl"},
              "seeds": [seed]},
    )  # fmt: skip
    for answer in (page, facets, batch):
        assert answer.status_code == 400, (answer.request.url, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
        assert "seed" in answer.text, answer.text
