"""The board permission rules, as properties over every combination of actor and board."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.actor import Actor
from app.domain.errors import Forbidden, NotFound, Unauthenticated
from app.domain.policy import Access, BoardRelation, access_level, require

TENANT = uuid4()
OWNER = uuid4()
roles = st.sampled_from([None, "viewer", "editor", "admin"])


def board(*, is_public: bool, role: str | None = None) -> BoardRelation:
    return BoardRelation(board_id=uuid4(), owner_id=OWNER, is_public=is_public, member_role=role)


@given(is_public=st.booleans(), role=roles)
def test_the_owner_always_owns(is_public: bool, role: str | None) -> None:
    assert access_level(Actor(TENANT, OWNER), board(is_public=is_public, role=role)) is Access.OWN


@given(role=roles)
def test_public_boards_are_readable_by_anyone_and_private_ones_only_by_members(role: str | None) -> None:
    stranger = Actor(TENANT, uuid4())
    anonymous = Actor(TENANT, None)
    assert access_level(anonymous, board(is_public=True)) is Access.READ
    assert access_level(anonymous, board(is_public=False)) is Access.NONE
    expected = {
        None: Access.NONE,
        "viewer": Access.READ,
        "editor": Access.CONTRIBUTE,
        "admin": Access.MANAGE,
    }[role]
    assert access_level(stranger, board(is_public=False, role=role)) is expected
    assert access_level(stranger, board(is_public=True, role=role)) is max(expected, Access.READ)


@given(is_public=st.booleans(), role=roles, user=st.one_of(st.none(), st.just(OWNER), st.uuids()))
def test_making_a_board_public_never_lowers_access(
    is_public: bool, role: str | None, user: UUID | None
) -> None:
    actor = Actor(TENANT, user)
    private = access_level(actor, board(is_public=False, role=role))
    public = access_level(actor, board(is_public=True, role=role))
    assert public >= private


@given(is_public=st.booleans(), role=roles, needed=st.sampled_from(list(Access)[1:]))
def test_require_leaks_nothing_about_unreadable_boards(
    is_public: bool, role: str | None, needed: Access
) -> None:
    actor = Actor(TENANT, uuid4())
    relation = board(is_public=is_public, role=role)
    level = access_level(actor, relation)
    if level >= needed:
        assert require(actor, relation, needed) is relation
    elif level is Access.NONE:
        with pytest.raises(NotFound):
            require(actor, relation, needed)
    else:
        with pytest.raises(Forbidden):
            require(actor, relation, needed)


def test_anonymous_callers_are_asked_to_sign_in_for_more_than_reading() -> None:
    with pytest.raises(Unauthenticated):
        require(Actor(TENANT, None), board(is_public=True), Access.CONTRIBUTE)
    with pytest.raises(NotFound):
        require(Actor(TENANT, None), None, Access.READ)


def test_an_unreadable_generation_is_not_found_and_a_readable_one_is_checked_on_its_board() -> None:
    from app.domain.policy import require_on_generation

    with pytest.raises(NotFound, match="generation not found"):
        require_on_generation(Actor(TENANT, uuid4()), board(is_public=False), Access.READ)
    with pytest.raises(Forbidden):
        require_on_generation(Actor(TENANT, uuid4()), board(is_public=True), Access.CONTRIBUTE)
    assert require_on_generation(Actor(TENANT, OWNER), board(is_public=False), Access.OWN).owner_id == OWNER
