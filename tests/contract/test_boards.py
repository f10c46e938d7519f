"""Board behaviour, identical through REST and GraphQL."""

from __future__ import annotations

import uuid

import pytest

from tests.contract.drivers import ApiError, Driver, GraphQLDriver


async def test_create_then_get_returns_the_same_board(api: Driver) -> None:
    created = await api.create_board(
        title="  Moodboard  ", description="cats", isPublic=True, settings={"grid": 3}
    )
    assert created["title"] == "Moodboard"  # trimmed
    assert created["description"] == "cats"
    assert created["isPublic"] is True
    assert created["settings"] == {"grid": 3}
    assert created["metadata"] == {}
    assert await api.get_board(created["id"]) == created


async def test_defaults_apply_when_fields_are_left_out(api: Driver) -> None:
    created = await api.create_board(title="Plain")
    assert (created["description"], created["isPublic"], created["settings"]) == (None, False, {})


@pytest.mark.parametrize(
    "fields",
    [{"title": ""}, {"title": "x" * 201}, {"title": "ok", "description": "d" * 5001}, {"title": "   "}],
    ids=["empty-title", "long-title", "long-description", "blank-title"],
)
async def test_invalid_boards_are_rejected_with_bad_user_input(
    api: Driver, fields: dict[str, object]
) -> None:
    with pytest.raises(ApiError) as raised:
        await api.create_board(**fields)
    assert raised.value.code == "BAD_USER_INPUT"
    assert await api.list_boards() == []


async def test_unknown_fields_are_rejected(api: Driver) -> None:
    with pytest.raises(ApiError) as raised:
        await api.create_board(title="ok", colour="red")
    assert raised.value.code in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}


async def test_list_is_newest_first_and_paginates(api: Driver) -> None:
    titles = [f"board {i}" for i in range(5)]
    for title in titles:
        await api.create_board(title=title)
    listed = await api.list_boards()
    assert [b["title"] for b in listed] == list(reversed(titles))
    page = await api.list_boards(limit=2, offset=1, sort="created_asc")
    assert [b["title"] for b in page] == titles[1:3]
    assert await api.list_boards(role="member") == []  # owner of all, member of none
    assert len(await api.list_boards(role="owner")) == 5


async def test_update_changes_only_what_was_sent(api: Driver) -> None:
    board = await api.create_board(title="Before", description="keep me", settings={"a": 1})
    updated = await api.update_board(board["id"], title="After")
    assert updated["title"] == "After"
    assert updated["description"] == "keep me"
    assert updated["settings"] == {"a": 1}
    assert updated["updatedAt"] >= board["updatedAt"]
    cleared = await api.update_board(board["id"], description=None)
    assert cleared["description"] is None
    assert (await api.get_board(board["id"])) == cleared


async def test_null_never_clears_a_required_field(api: Driver) -> None:
    """REST refuses it (its schema: not nullable); GraphQL's UpdateBoardInput declares Boards' `title: String =
    null`, where null means "not sent", so the title is kept (tests/compat/test_boards_inputs.py)."""
    board = await api.create_board(title="Keep")
    if isinstance(api, GraphQLDriver):
        assert (await api.update_board(board["id"], title=None))["title"] == "Keep"
    else:
        with pytest.raises(ApiError) as raised:
            await api.update_board(board["id"], title=None)
        assert raised.value.code == "BAD_USER_INPUT"
    assert (await api.get_board(board["id"]))["title"] == "Keep"  # type: ignore[index]


async def test_delete_removes_the_board(api: Driver) -> None:
    board = await api.create_board(title="Doomed")
    assert await api.delete_board(board["id"]) is True
    assert await api.get_board(board["id"]) is None
    with pytest.raises(ApiError) as raised:
        await api.delete_board(board["id"])
    assert raised.value.code == "NOT_FOUND"


async def test_unknown_board_is_not_found(api: Driver) -> None:
    missing = str(uuid.uuid4())
    assert await api.get_board(missing) is None
    with pytest.raises(ApiError) as raised:
        await api.update_board(missing, title="x")
    assert raised.value.code == "NOT_FOUND"
