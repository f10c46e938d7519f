"""Board permissions: the ONE place that decides who may do what to a board and its content.

REST, GraphQL and jobs all ask this module through the domain services; no adapter checks a role itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from uuid import UUID

from app.domain.actor import Actor
from app.domain.errors import Forbidden, NotFound, Unauthenticated


class Access(IntEnum):
    """What a caller's relation to a board allows, ordered so that a higher level includes the lower ones."""

    NONE = 0
    READ = 1  # viewer, or anyone in the tenant on a public board
    CONTRIBUTE = 2  # editor: create generations, manage their own
    MANAGE = 3  # admin: edit the board, manage members
    OWN = 4  # owner: everything, including delete


ROLE_ACCESS = {"viewer": Access.READ, "editor": Access.CONTRIBUTE, "admin": Access.MANAGE}


@dataclass(frozen=True, slots=True)
class BoardRelation:
    """The facts about a board that permissions depend on, loaded by the store in one query."""

    board_id: UUID
    owner_id: UUID
    is_public: bool
    member_role: str | None = None  # the actor's board_members.role, if any


def access_level(actor: Actor, board: BoardRelation) -> Access:
    """The actor's access to the board (tenant scoping already happened in the store)."""
    level = Access.NONE
    if board.is_public and (actor.user_id is not None or actor.public_reads):
        level = Access.READ
    if actor.user_id is None:
        return level
    if actor.user_id == board.owner_id:
        return Access.OWN
    if board.member_role is not None:
        level = max(level, ROLE_ACCESS.get(board.member_role, Access.NONE))
    return level


def require(actor: Actor, board: BoardRelation | None, needed: Access) -> BoardRelation:
    """Return the board when the actor has `needed` access; otherwise raise the error that leaks least.

    A board the actor cannot read is reported as not found, so ids of private boards reveal nothing.
    """
    if board is None:
        raise NotFound("board not found")
    level = access_level(actor, board)
    if level < Access.READ:
        raise NotFound("board not found")
    if level < needed:
        if actor.is_anonymous:
            raise Unauthenticated("sign in to do this")
        raise Forbidden(f"this needs {needed.name.lower()} access to the board")
    return board


def require_on_generation(actor: Actor, board: BoardRelation | None, needed: Access) -> BoardRelation:
    """require() for an operation on a generation: its board decides, and a generation the actor cannot read
    is reported as not found (like a private board)."""
    try:
        return require(actor, board, needed)
    except NotFound:
        raise NotFound("generation not found") from None


def require_user(actor: Actor) -> UUID:
    """The actor's user id, or Unauthenticated for anonymous callers."""
    if actor.user_id is None:
        raise Unauthenticated("sign in to do this")
    return actor.user_id
