"""searchGenerations / GET /api/v1/generations/search: relevance, partial words, filters, refusals, pages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.search.drivers import ApiError, ids_of, seed_rows

CORPUS = [
    {"input_params": {"prompt": "red fox running through deep snow"}},  # prompt: weight A
    {"input_params": {"prompt": "a quiet lake at dawn", "negative_prompt": "fox"}},  # negative prompt: C
    {"input_params": {"prompt": "city skyline at night", "style": "fox illustration"}},  # other input: D
    {"input_params": {"prompt": "firefox logo redesign"}},  # only inside a word: the infix fallback
    {"input_params": {"prompt": "a lighthouse on a cliff"}},  # no match
]


async def test_relevance_order_on_a_known_corpus(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine
) -> None:
    ids = await seed_rows(engine, board["id"], board["ownerId"], CORPUS)
    found = await search_api.search(q="fox")
    assert ids_of(found) == ids[:3]  # words starting with "fox" found: no infix pass
    ranks = [hit["rank"] for hit in found["items"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[1] > ranks[2]
    top = found["items"][0]
    assert top["snippet"] == "red fox running through deep snow"
    assert [top["snippet"][r["start"] : r["end"]] for r in top["highlights"]] == ["fox"]
    assert ids_of(await search_api.search(q="fox snow")) == [ids[0]]  # every word must match
    assert ids_of(await search_api.search(q="FOX   Runs!")) == [ids[0]]  # case, punctuation, stemming


async def test_partial_words(search_api: Any, board: dict[str, Any], engine: AsyncEngine) -> None:
    ids = await seed_rows(
        engine, board["id"], board["ownerId"],
        [{"input_params": {"prompt": "an astronaut in a greenhouse"}}, {"input_params": {"prompt": "a nautilus"}},
         {"input_params": {"prompt": "firefox logo redesign"}}],
    )  # fmt: skip
    assert ids_of(await search_api.search(q="astro")) == [ids[0]]  # prefix of a word
    assert ids_of(await search_api.search(q="naut")) == [ids[1]]  # a word starts with it: prefixes only
    assert ids_of(await search_api.search(q="stronau")) == [ids[0]]  # none does: inside words (trigrams)
    assert ids_of(await search_api.search(q="greenh astro")) == [ids[0]]
    more = await seed_rows(engine, board["id"], board["ownerId"], [{"input_params": {"prompt": "bluefox"}}])
    first = await search_api.search(q="efo", limit=1)  # the infix pass keeps going on the next pages
    second = await search_api.search(q="efo", limit=1, cursor=first["nextCursor"])
    assert ids_of(first) + ids_of(second) == [more[0], ids[2]] and second["nextCursor"] is None
    assert (await search_api.facets(q="stronau"))["total"] == 1


async def test_snippets_are_plain_text_with_ranges(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine
) -> None:
    await seed_rows(engine, board["id"], board["ownerId"], [{"input_params": {"prompt": "<b>bold</b> fox"}}])
    (hit,) = (await search_api.search(q="fox"))["items"]
    assert "bold" in hit["snippet"] and "\x02" not in hit["snippet"]  # markup never comes back as markup
    assert [hit["snippet"][r["start"] : r["end"]] for r in hit["highlights"]] == ["fox"]


async def test_structured_filters(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    owner = board["ownerId"]
    ids = await seed_rows(
        engine, board["id"], owner,
        [
            {"input_params": {"prompt": "cat", "seed": 7, "steps": 30, "loras": [{"name": "anime-v2"}]},
             "output_metadata": {"width": 1024, "height": 768, "format": "png"}},
            {"input_params": {"prompt": "cat", "seed": "8", "steps": 50}, "generator_name": "sdxl",
             "output_metadata": {"width": 512, "height": 512}},
            {"input_params": {"prompt": "cat"}, "artifact_type": "video", "status": "failed",
             "generator_name": "kling", "age_seconds": 86400 * 3},
        ],
    )  # fmt: skip
    other = (await client.post("/api/v1/boards", json={"title": "Other"})).json()
    elsewhere = await seed_rows(engine, other["id"], owner, [{"input_params": {"prompt": "cat"}}])

    async def found(**query: Any) -> set[str]:
        return set(ids_of(await search_api.search(q="cat", **query)))

    assert await found() == {*ids, *elsewhere}
    assert await found(generatorNames=["sdxl", "kling"]) == {ids[1], ids[2]}
    assert await found(artifactTypes=["video"]) == {ids[2]}
    assert await found(statuses=["failed"]) == {ids[2]}
    assert await found(boardIds=[other["id"]]) == set(elsewhere)
    assert await found(userIds=[owner]) == {*ids, *elsewhere}
    assert await found(seed=7) == {ids[0]}
    assert await found(seed=8) == set()  # a string "8" is not the number 8 here; `where` accepts both
    assert await found(where=["input.seed=8"]) == {ids[1]}
    assert await found(minWidth=1000) == {ids[0]}
    assert await found(maxWidth=600, minHeight=500) == {ids[1]}
    assert await found(where=["input.steps>=40"]) == {ids[1]}
    assert await found(where=["input.steps<40", "output.format=png"]) == {ids[0]}
    assert await found(where=["input.loras.0.name~ANIME"]) == {ids[0]}
    assert await found(where=["input.prompt>5"]) == set()  # text compared as a number: no match, no error
    assert await found(where=["output.format!=png"]) == set()
    past = "2000-01-01T00:00:00Z"
    assert await found(createdAfter=past) == {*ids, *elsewhere}
    recent = await search_api.search(q="cat", createdBefore="2999-01-01T00:00:00Z", sort="oldest", limit=1)
    assert ids_of(recent) == [ids[2]]  # three days old: the oldest

    tag = (await client.post("/api/v1/tags", json={"name": "keeper"})).json()
    await client.post(f"/api/v1/generations/{ids[1]}/tags", json={"tagId": tag["id"]})
    assert await found(tags=["keeper"]) == {ids[1]}
    await client.post(f"/api/v1/generations/{ids[0]}/likes")
    assert await found(likedByMe=True) == {ids[0]}
    assert ids_of(await search_api.search(q="cat", sort="most_liked", limit=1)) == [ids[0]]


BAD_QUERIES = [
    {"where": ["input.x'; DROP TABLE generations; --=1"]},
    {"where": ["input.steps)=1 OR 1=1"]},
    {"where": ["input.prompt>abc"]},  # a range needs a number
    {"where": ["input.a~true"]},
    {"where": ["input..a=1"]},
    {"where": ["output.width>=1 OR 1=1"]},
    {"where": ["secret.key=1"]},
    {"where": ["input.a=\x00"]},
    {"where": ['input.a="unterminated']},
    {"sort": "created_at; DROP TABLE generations"},
    {"cursor": "bm90IGEgY3Vyc29y"},
    {"cursor": "'; DELETE FROM generations; --"},
    {"minWidth": 900, "maxWidth": 100},
    {"limit": 0},
    {"limit": 1000},
    {"createdAfter": "2020-01-02T00:00:00Z", "createdBefore": "2020-01-01T00:00:00Z"},
]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=[str(i) for i in range(len(BAD_QUERIES))])
async def test_injection_attempts_and_bad_filters_are_refused(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine, query: dict[str, Any]
) -> None:
    await seed_rows(engine, board["id"], board["ownerId"], [{"input_params": {"prompt": "fox"}}])
    with pytest.raises(ApiError) as refused:
        await search_api.search(q="fox", **query)
    assert refused.value.code == "BAD_USER_INPUT", refused.value
    if refused.value.status is not None:
        assert refused.value.status in (400, 422)
    assert len((await search_api.search(q="fox"))["items"]) == 1  # nothing was dropped


async def test_sql_in_the_words_is_just_words(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine
) -> None:
    ids = await seed_rows(
        engine, board["id"], board["ownerId"], [{"input_params": {"prompt": "drop table generations"}}]
    )
    assert ids_of(await search_api.search(q="'); DROP TABLE generations; --")) == ids
    assert ids_of(await search_api.search(q="% _ \\ :* & | ! ( )")) == ids  # no words: no text filter


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
async def test_pages_return_each_row_once_while_rows_arrive(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine, sort: str
) -> None:
    corpus = [{"input_params": {"prompt": "moth " * (1 + i % 4) + f"number {i}"}} for i in range(23)]
    original = await seed_rows(engine, board["id"], board["ownerId"], corpus)
    seen: list[str] = []
    page = await search_api.search(q="moth", sort=sort, limit=5)
    while True:
        seen += ids_of(page)
        # New matching rows arrive between pages: newer, older and equally ranked ones.
        await seed_rows(engine, board["id"], board["ownerId"], [corpus[len(seen) % 23], corpus[0]])
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE generations SET created_at = created_at - interval '1 day' WHERE id = ("
                    "SELECT id FROM generations ORDER BY created_at DESC LIMIT 1)"
                )
            )
        if page["nextCursor"] is None:
            break
        page = await search_api.search(q="moth", sort=sort, limit=5, cursor=page["nextCursor"])
    assert len(seen) == len(set(seen)), "a row came twice"
    assert set(original) <= set(seen), "a row that matched all along was skipped"


async def test_a_cursor_belongs_to_its_search(
    search_api: Any, board: dict[str, Any], engine: AsyncEngine
) -> None:
    await seed_rows(engine, board["id"], board["ownerId"], [{"input_params": {"prompt": "owl"}}] * 3)
    page = await search_api.search(q="owl", limit=1)
    with pytest.raises(ApiError) as refused:
        await search_api.search(q="owls and more", limit=1, cursor=page["nextCursor"])
    assert refused.value.code == "BAD_USER_INPUT"
