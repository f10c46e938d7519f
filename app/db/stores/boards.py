"""Boards of one tenant, in SQL (SQLAlchemy Core over the generated tables)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from app.contracts import Board, BoardQueryRole, SortOrder, User
from app.db.models import Board as BoardModel
from app.db.models import BoardMember
from app.db.raw import Prepared, among
from app.db.stores._counted import page_total
from app.db.stores._rows import mapper_for
from app.db.stores._scoped import TenantScoped, like_pattern, prefixed, table_of
from app.db.stores.users import USER_COLUMNS, users
from app.db.stores.visibility import readable_boards
from app.domain.errors import NotFound
from app.domain.policy import BoardRelation

boards = table_of(BoardModel)
members = table_of(BoardMember)
BOARD_COLUMNS = [boards.c[name] for name in Board.__struct_fields__]
_SORTS = {
    SortOrder.CREATED_ASC: boards.c.created_at.asc(),
    SortOrder.CREATED_DESC: boards.c.created_at.desc(),
    SortOrder.UPDATED_ASC: boards.c.updated_at.asc(),
    SortOrder.UPDATED_DESC: boards.c.updated_at.desc(),
}


# Built once, bound per call (tenant, board_id, user_id): the board and the caller's relation to it in one
# statement. A NULL user_id matches no member row, so anonymous callers get role NULL.
_MEMBER_ROLE = (
    select(members.c.role)
    .where(members.c.board_id == boards.c.id, members.c.user_id == bindparam("user_id"))
    .scalar_subquery()
    .label("_role")
)
# The owner comes along (a board view shows it; GraphQL primes its users loader with it).
_OWNER = "_owner_"
_BOARD_WITH_RELATION = Prepared(
    "boards.with_relation",
    select(*BOARD_COLUMNS, _MEMBER_ROLE, *prefixed(USER_COLUMNS, _OWNER))
    .join_from(boards, users, users.c.id == boards.c.owner_id, isouter=True)
    .where(boards.c.tenant_id == bindparam("tenant"), boards.c.id == bindparam("board_id")),
)
_BOARDS = mapper_for(Board)
_OWNERS = mapper_for(User, _OWNER)


# What every permission check reads: the board's owner and visibility and the caller's member role.
_RELATION = Prepared(
    "boards.relation",
    select(boards.c.id, boards.c.owner_id, boards.c.is_public, _MEMBER_ROLE).where(
        boards.c.tenant_id == bindparam("tenant"), boards.c.id == bindparam("board_id")
    ),
)


_BOARDS_BY_ID = Prepared(
    "boards.by_id",
    select(*BOARD_COLUMNS).where(boards.c.tenant_id == bindparam("tenant"), among(boards.c.id, "ids")),
)


def _role_name(role: Any) -> str | None:
    """A member role as the policy names it (raw reads give the text, ORM reads the model's enum)."""
    return None if role is None else str(getattr(role, "value", role))


def relation_of(board: Any, *, board_id: UUID, role: Any) -> BoardRelation:
    """The policy's facts from a board (owner_id, is_public), plus the member role (or None)."""
    return BoardRelation(
        board_id=board_id, owner_id=board.owner_id, is_public=board.is_public, member_role=_role_name(role)
    )


def to_board(row: Any) -> Board:
    """A row of BOARD_COLUMNS as the Board contract (no re-validation: the database already checked it)."""
    return Board(**row._mapping)


class SqlBoardStore(TenantScoped):
    """Implements app.domain.boards.BoardStore."""

    async def insert(self, *, owner_id: UUID, values: dict[str, Any]) -> Board:
        stmt = insert(boards).values(self.stamp({**values, "owner_id": owner_id})).returning(*BOARD_COLUMNS)
        return to_board((await self.session.execute(stmt)).one())

    async def get(self, board_id: UUID) -> Board | None:
        stmt = select(*BOARD_COLUMNS).where(self.scope(boards), boards.c.id == board_id)
        row = (await self.session.execute(stmt)).one_or_none()
        return None if row is None else to_board(row)

    async def get_with_relation(
        self, board_id: UUID, user_id: UUID | None
    ) -> tuple[Board, BoardRelation, User | None] | None:
        """The board, the caller's relation to it and its owner, in one statement (a read needs all three)."""
        params = {"tenant": self.tenant_id, "board_id": board_id, "user_id": user_id}
        found = await _BOARD_WITH_RELATION.fetch(self.session, params)
        row = found.one_or_none()
        if row is None:
            return None
        keys = found.keys
        board = _BOARDS.over(keys)(row)
        owner = None if row[keys.index(_OWNER + "id")] is None else _OWNERS.over(keys)(row)  # owners cascade
        return board, relation_of(board, board_id=board.id, role=row[keys.index("_role")]), owner

    async def get_many(self, board_ids: Sequence[UUID]) -> list[Board]:
        params = {"tenant": self.tenant_id, "ids": list(board_ids)}
        found = await _BOARDS_BY_ID.fetch(self.session, params)
        return list(map(_BOARDS.over(found.keys), found))

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        """Owner, visibility and the user's member role, in one statement (what the policy decides on)."""
        params = {"tenant": self.tenant_id, "board_id": board_id, "user_id": user_id}
        row = (await _RELATION.fetch(self.session, params)).one_or_none()
        if row is None:
            return None
        board_id, owner_id, is_public, role = row  # the columns as selected: id, owner_id, is_public, _role
        return BoardRelation(
            board_id=board_id, owner_id=owner_id, is_public=is_public, member_role=_role_name(role)
        )

    def _for_user(self, user_id: UUID, role: BoardQueryRole) -> ColumnElement[bool]:
        # `id = ANY(ARRAY(SELECT board_id …))`, not EXISTS: with `owner_id = … OR EXISTS (…)` PostgreSQL
        # cannot combine indexes and scanned every board of the tenant (8.6 ms at 20,000 boards); the array
        # is read once through ix_board_members_user, then boards by primary key OR'd with the owner index.
        mine = select(members.c.board_id).where(members.c.user_id == user_id).scalar_subquery()
        joined = boards.c.id == any_(func.array(mine))
        if role is BoardQueryRole.OWNER:
            return and_(self.scope(boards), boards.c.owner_id == user_id)
        if role is BoardQueryRole.MEMBER:
            return and_(self.scope(boards), joined)
        return and_(self.scope(boards), or_(boards.c.owner_id == user_id, joined))

    async def list_for_user(
        self, user_id: UUID, *, role: BoardQueryRole, sort: SortOrder, limit: int, offset: int
    ) -> tuple[Sequence[Board], int]:
        condition = self._for_user(user_id, role)
        page: Select[Any] = (
            select(*BOARD_COLUMNS, func.count().over().label("_total"))
            .where(condition)
            .order_by(_SORTS[sort], boards.c.id)
            .limit(limit)
            .offset(offset)
        )
        rows = (await self.session.execute(page)).all()
        if rows:
            total = int(rows[0]._total)
        else:  # past the last page: count separately so the total stays right
            total = int((await self.session.execute(select(func.count()).where(condition))).scalar_one())
        return [Board(**{k: v for k, v in row._mapping.items() if k != "_total"}) for row in rows], total

    async def update(self, board_id: UUID, changes: dict[str, Any]) -> Board:
        stmt = (
            update(boards)
            .where(self.scope(boards), boards.c.id == board_id)
            .values(**changes, updated_at=func.now())
            .returning(*BOARD_COLUMNS)
        )
        row = (await self.session.execute(stmt)).one_or_none()
        if row is None:
            raise NotFound("board not found")
        return to_board(row)

    async def delete(self, board_id: UUID) -> bool:
        stmt = delete(boards).where(self.scope(boards), boards.c.id == board_id)
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))


class SqlBoardQueries(SqlBoardStore):
    """Board lists filtered by what the viewer may read (the policy's READ rule as SQL)."""

    def _readable(self, viewer: UUID | None, public_reads: bool) -> ColumnElement[bool]:
        return and_(self.scope(boards), readable_boards(boards, members, viewer, public_reads=public_reads))

    async def _page(
        self, condition: ColumnElement[bool], order: Any, limit: int, offset: int, count_up_to: int | None
    ) -> tuple[list[Board], int]:
        # No count(*) OVER (): it reads and sorts every match before the LIMIT (app.db.stores._counted).
        stmt = (
            select(*BOARD_COLUMNS).where(condition).order_by(order, boards.c.id).limit(limit).offset(offset)
        )
        rows = (await self.session.execute(stmt)).all()
        total = await page_total(
            self.session,
            boards,
            condition,
            rows=len(rows),
            limit=limit,
            offset=offset,
            count_up_to=count_up_to,
        )
        return [to_board(row) for row in rows], total

    async def search(
        self,
        text: str,
        *,
        viewer: UUID | None,
        public_reads: bool,
        limit: int,
        offset: int,
        count_up_to: int | None = None,
    ) -> tuple[list[Board], int]:
        pattern = like_pattern(text)
        matches = or_(boards.c.title.ilike(pattern), boards.c.description.ilike(pattern))
        condition = and_(self._readable(viewer, public_reads), matches)
        return await self._page(condition, boards.c.updated_at.desc(), limit, offset, count_up_to)

    async def public(
        self, *, sort: SortOrder, limit: int, offset: int, count_up_to: int | None = None
    ) -> tuple[list[Board], int]:
        condition = and_(self.scope(boards), boards.c.is_public)
        return await self._page(condition, _SORTS[sort], limit, offset, count_up_to)

    async def owned_by(
        self, user_ids: Sequence[UUID], *, viewer: UUID | None, public_reads: bool
    ) -> dict[UUID, list[Board]]:
        stmt = (
            select(*BOARD_COLUMNS)
            .where(self._readable(viewer, public_reads), boards.c.owner_id.in_(list(user_ids)))
            .order_by(boards.c.updated_at.desc(), boards.c.id)
        )
        found: dict[UUID, list[Board]] = {i: [] for i in user_ids}
        for row in (await self.session.execute(stmt)).all():
            found[row.owner_id].append(to_board(row))
        return found

    async def member_of(
        self, user_ids: Sequence[UUID], *, viewer: UUID | None, public_reads: bool
    ) -> dict[UUID, list[Board]]:
        # An alias for the membership being listed: the visibility rule has its own EXISTS over board_members,
        # and with one unaliased table SQLAlchemy correlated that subquery away (no FROM clause left).
        listed = members.alias("listed")
        stmt = (
            select(listed.c.user_id.label("_member"), *BOARD_COLUMNS)
            .join_from(listed, boards, boards.c.id == listed.c.board_id)
            .where(
                listed.c.tenant_id == self.tenant_id,
                self._readable(viewer, public_reads),
                listed.c.user_id.in_(list(user_ids)),
            )
            .order_by(boards.c.updated_at.desc(), boards.c.id)
        )
        found: dict[UUID, list[Board]] = {i: [] for i in user_ids}
        for row in (await self.session.execute(stmt)).all():
            found[row._member].append(Board(**{k: v for k, v in row._mapping.items() if k != "_member"}))
        return found
