"""Tags, generation reads, search and public boards: identical behaviour through REST and GraphQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import seed_generations
from tests.contract.drivers import ApiError, Driver


async def test_tag_lifecycle(api: Driver) -> None:
    tag = await api.create_tag(name="Golden Hour!", description="warm light")
    assert (tag["slug"], tag["metadata"]) == ("golden-hour", {})
    assert await api.tag_by_slug("golden-hour") == tag
    with pytest.raises(ApiError) as duplicate:
        await api.create_tag(name="golden hour")
    assert duplicate.value.code == "CONFLICT"
    renamed = await api.update_tag(tag["id"], name="Golden hour", metadata={"colour": "amber"})
    assert (renamed["name"], renamed["slug"], renamed["metadata"]) == (
        "Golden hour",
        "golden-hour",
        {"colour": "amber"},
    )
    assert [t["slug"] for t in await api.list_tags()] == ["golden-hour"]
    assert await api.delete_tag(tag["id"]) is True
    assert await api.tag_by_slug("golden-hour") is None


async def test_bad_tags_are_rejected(api: Driver) -> None:
    for fields in ({"name": ""}, {"name": "ok", "slug": "Not A Slug"}, {"name": "!!!"}):
        with pytest.raises(ApiError) as raised:
            await api.create_tag(**fields)
        assert raised.value.code == "BAD_USER_INPUT", fields


async def test_generations_read_tag_and_delete(api: Driver, engine: AsyncEngine) -> None:
    board = await api.create_board(title="Renders")
    ids = await seed_generations(engine, board["id"], board["ownerId"], 3)
    await seed_generations(engine, board["id"], board["ownerId"], 1, status="failed", progress=0.4)
    generation = await api.get_generation(ids[0])
    assert generation is not None
    assert (generation["boardId"], generation["progress"]) == (board["id"], 1.0)
    recent = await api.recent_generations(boardId=board["id"])
    assert len(recent) == 4
    assert len(await api.recent_generations(boardId=board["id"], status="failed")) == 1
    assert len(await api.recent_generations(artifactType="video")) == 0

    tag = await api.create_tag(name="keeper")
    await api.tag_generation(ids[0], tag["id"])
    await api.tag_generation(ids[0], tag["id"])  # idempotent
    tagged = await api.get_generation(ids[0])
    assert tagged is not None
    assert [t["slug"] for t in tagged["tags"]] == ["keeper"]
    await api.untag_generation(ids[0], tag["id"])
    assert (await api.get_generation(ids[0]))["tags"] == []  # type: ignore[index]

    await api.delete_generation(ids[1])
    assert await api.get_generation(ids[1]) is None
    assert await api.get_generation(str(uuid.uuid4())) is None


async def test_search_and_public_boards(api: Driver) -> None:
    await api.create_board(title="Sunset studies", isPublic=True)
    await api.create_board(title="Private sunset", description="shh")
    await api.create_board(title="Portraits")
    found = {b["title"] for b in await api.search_boards("sunset")}
    assert found == {"Sunset studies", "Private sunset"}
    assert {b["title"] for b in await api.public_boards()} == {"Sunset studies"}
    assert await api.search_boards("100%_literal") == []  # LIKE wildcards are escaped
