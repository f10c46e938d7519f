"""Generations of one tenant: reads batched for DataLoaders (one statement per batch, whatever its size)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import (
    ColumnElement,
    Result,
    Row,
    Select,
    and_,
    bindparam,
    delete,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import ArtifactType, Board, Generation, GenerationStatus, User
from app.db.models import Board as BoardModel
from app.db.models import BoardGenerationCount, BoardMember, GenerationInput
from app.db.models import Generation as GenerationModel
from app.db.raw import Prepared, among
from app.db.stores._rows import mapper_for
from app.db.stores._scoped import TenantScoped, columns_for, prefixed, table_of
from app.db.stores.boards import BOARD_COLUMNS, SqlBoardStore, relation_of
from app.db.stores.users import USER_COLUMNS, users
from app.db.stores.visibility import readable_boards
from app.domain.generations.ports import PendingGeneration
from app.domain.policy import BoardRelation

generations = table_of(GenerationModel)
generation_inputs = table_of(GenerationInput)
boards = table_of(BoardModel)
members = table_of(BoardMember)
board_counts = table_of(BoardGenerationCount)
GENERATION_COLUMNS = columns_for(generations, Generation, {"message": "status_message"})
GENERATION_SELECT = [*GENERATION_COLUMNS, generations.c.storage_key, generations.c.thumbnail_key]
UrlSigner = Callable[[str], str]


_GENERATIONS = mapper_for(Generation)


def generation_reader(keys: Sequence[str], urls: UrlSigner | None) -> Callable[[Any], Generation]:
    """Rows of a result with these columns (GENERATION_SELECT's, by name) to the contract; stored files get
    fresh signed URLs (never stored, so they can expire)."""
    to_contract = _GENERATIONS.over(keys)
    if urls is None:
        return to_contract
    storage_key, thumbnail_key = keys.index("storage_key"), keys.index("thumbnail_key")
    files_at = keys.index("additional_files")

    def to_generation(row: Any) -> Generation:
        generation = to_contract(row)
        if row[storage_key]:
            generation.storage_url = urls(row[storage_key])
        if row[thumbnail_key]:
            generation.thumbnail_url = urls(row[thumbnail_key])
        stored = [f for f in (row[files_at] or []) if isinstance(f, dict) and f.get("key")]
        if stored:  # extra outputs stored by a worker keep their key; the URL is signed on the way out
            by_key = {f["key"]: urls(f["key"]) for f in stored}
            generation.additional_files = [
                msgspec.structs.replace(f, url=by_key.get(f.url, f.url)) for f in generation.additional_files
            ]
        return generation

    return to_generation


def to_generation(row: Row[Any], urls: UrlSigner | None) -> Generation:
    """One GENERATION_SELECT row as the contract (a list reads through `generation_reader` once)."""
    return generation_reader(row._fields, urls)(row)


def generations_of(result: Result[Any], urls: UrlSigner | None) -> list[Generation]:
    """Every row of a session result of GENERATION_SELECT as the contract."""
    read = generation_reader(tuple(result.keys()), urls)
    return [read(row) for row in result]


NEWEST = (generations.c.created_at.desc(), generations.c.id.desc())


def _newest_per_board() -> Select[Any]:
    """Built once: a fresh subquery per request spent more CPU on SQLAlchemy's column bookkeeping than the
    database spent running it (profiled on GetBoard)."""
    ranked = (
        select(
            *GENERATION_SELECT,
            func.row_number().over(partition_by=generations.c.board_id, order_by=NEWEST).label("_n"),
        )
        .where(
            generations.c.tenant_id == bindparam("tenant"),
            among(generations.c.board_id, "board_ids"),
        )
        .subquery()
    )
    return (
        select(*[ranked.c[c.name] for c in GENERATION_SELECT])
        .where(ranked.c._n > bindparam("first"), ranked.c._n <= bindparam("last"))
        .order_by(ranked.c.board_id, ranked.c._n)
    )


_NEWEST_PER_BOARD = Prepared("generations.newest_per_board", _newest_per_board())

_GENERATIONS_BY_ID = Prepared(
    "generations.by_id",
    select(*GENERATION_SELECT).where(
        generations.c.tenant_id == bindparam("tenant"), among(generations.c.id, "ids")
    ),
)
# Kept by triggers on generations (schema/sql/0240): counting at read time visited a heap page per
# generation (46 ms for myBoards' 16 boards at 1,000,000 generations); this reads one key per board.
_COUNTS = Prepared(
    "generations.count_per_board",
    select(board_counts.c.board_id, board_counts.c.generation_count).where(
        among(board_counts.c.board_id, "board_ids"), board_counts.c.tenant_id == bindparam("tenant")
    ),
)

_BOARD, _USER = "_board_", "_user_"
_BOARD_AS = prefixed(BOARD_COLUMNS, _BOARD)

# One generation with its board's permission facts (tenant, generation_id, user_id bound per call):
# GENERATION_SELECT, then the board's columns, the author's, and the caller's member role.
_GENERATION_WITH_RELATION = Prepared(
    "generations.with_relation",
    select(
        *GENERATION_SELECT,
        *_BOARD_AS,
        *prefixed(USER_COLUMNS, _USER),
        select(members.c.role)
        .where(members.c.board_id == boards.c.id, members.c.user_id == bindparam("user_id"))
        .scalar_subquery()
        .label("_role"),
    )
    .join_from(generations, boards, boards.c.id == generations.c.board_id)
    .join_from(generations, users, users.c.id == generations.c.user_id, isouter=True)
    .where(generations.c.tenant_id == bindparam("tenant"), generations.c.id == bindparam("generation_id")),
)
_BOARDS = mapper_for(Board, _BOARD)
_USERS = mapper_for(User, _USER)


class SqlGenerationStore(TenantScoped):
    """Implements app.domain.generations.GenerationStore."""

    def __init__(self, session: AsyncSession, tenant_id: UUID, *, urls: UrlSigner | None = None) -> None:
        super().__init__(session, tenant_id)
        self._boards = SqlBoardStore(session, tenant_id)
        self._urls = urls

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        return await self._boards.relation(board_id, user_id)

    async def board_relation_of(self, generation_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        stmt = select(generations.c.board_id).where(
            self.scope(generations), generations.c.id == generation_id
        )
        board_id = (await self.session.execute(stmt)).scalar_one_or_none()
        return None if board_id is None else await self.relation(board_id, user_id)

    async def get_with_relation(
        self, generation_id: UUID, user_id: UUID | None
    ) -> tuple[Generation, BoardRelation, Board, User | None] | None:
        """The generation, the caller's relation to its board, the board and the author, in one statement."""
        params = {"tenant": self.tenant_id, "generation_id": generation_id, "user_id": user_id}
        found = await _GENERATION_WITH_RELATION.fetch(self.session, params)
        row = found.one_or_none()
        if row is None:
            return None
        keys = found.keys
        board = _BOARDS.over(keys)(row)
        relation = relation_of(board, board_id=board.id, role=row[keys.index("_role")])
        author = None if row[keys.index(_USER + "id")] is None else _USERS.over(keys)(row)  # users cascade
        return generation_reader(keys, self._urls)(row), relation, board, author

    async def get(self, generation_id: UUID) -> Generation | None:
        found = await self.get_many([generation_id])
        return found[0] if found else None

    async def get_many(self, generation_ids: Sequence[UUID]) -> Sequence[Generation]:
        params = {"tenant": self.tenant_id, "ids": list(generation_ids)}
        found = await _GENERATIONS_BY_ID.fetch(self.session, params)
        read = generation_reader(found.keys, self._urls)
        return [read(row) for row in found]

    async def for_boards(
        self, board_ids: Sequence[UUID], *, limit: int, offset: int
    ) -> dict[UUID, list[Generation]]:
        """The newest `limit` generations of each board, in ONE statement (a window per board)."""
        params = {
            "tenant": self.tenant_id,
            "board_ids": list(board_ids),
            "first": offset,
            "last": offset + limit,
        }
        found: dict[UUID, list[Generation]] = {i: [] for i in board_ids}
        rows = await _NEWEST_PER_BOARD.fetch(self.session, params)
        read = generation_reader(rows.keys, self._urls)
        for generation in map(read, rows):
            found[generation.board_id].append(generation)
        return found

    async def count_for_boards(self, board_ids: Sequence[UUID]) -> dict[UUID, int]:
        params = {"tenant": self.tenant_id, "board_ids": list(board_ids)}
        counts = dict.fromkeys(board_ids, 0)
        counts.update({board_id: int(n) for board_id, n in await _COUNTS.fetch(self.session, params)})
        return counts

    async def recent(
        self,
        *,
        viewer: UUID | None,
        board_id: UUID | None,
        status: GenerationStatus | None,
        artifact_type: ArtifactType | None,
        limit: int,
        offset: int,
        public_reads: bool,
        count_up_to: int | None = None,
    ) -> tuple[Sequence[Generation], int]:
        conditions: list[ColumnElement[bool]] = [self.scope(generations)]
        if board_id is not None:  # the service checked READ on this board
            conditions.append(generations.c.board_id == board_id)
        else:
            visible = select(boards.c.id).where(
                self.scope(boards), readable_boards(boards, members, viewer, public_reads=public_reads)
            )
            conditions.append(generations.c.board_id.in_(visible))
        if status is not None:
            conditions.append(generations.c.status == status.value)
        if artifact_type is not None:
            conditions.append(generations.c.artifact_type == artifact_type.value)
        where = and_(*conditions)
        page = select(*GENERATION_SELECT).where(where).order_by(*NEWEST).limit(limit).offset(offset)
        result = await self.session.execute(page)
        read, rows = generation_reader(tuple(result.keys()), self._urls), result.all()
        items = [read(row) for row in rows]
        if count_up_to is None or (len(rows) < limit and (rows or offset == 0)):
            return items, offset + len(rows)  # the last page: the total is known without counting
        # The page walks the newest-first index and stops after `limit` rows; a window count over the page
        # query would read (and carry the input params of) every readable row. The count reads the board
        # index alone (an index-only scan) and stops at `count_up_to` rows: "everything I can read" is most
        # of the table, and an unbounded count of it took 3.4 s at 1,000,000 rows.
        matching = select(literal(1)).select_from(generations).where(where).limit(count_up_to).subquery()
        count = select(func.count()).select_from(matching)
        return items, int((await self.session.execute(count)).scalar_one())

    async def delete(self, generation_id: UUID) -> bool:
        stmt = delete(generations).where(self.scope(generations), generations.c.id == generation_id)
        return bool(getattr(await self.session.execute(stmt), "rowcount", 0))

    async def inputs_of(self, generation_ids: Sequence[UUID]) -> dict[UUID, list[tuple[UUID, str, int]]]:
        """(input generation, role, position) per generation, for inputArtifacts (one statement)."""
        gi = generation_inputs
        stmt = (
            select(gi.c.generation_id, gi.c.input_generation_id, gi.c.role, gi.c.position)
            .where(gi.c.tenant_id == self.tenant_id, gi.c.generation_id.in_(list(generation_ids)))
            .order_by(gi.c.role, gi.c.position)
        )
        found: dict[UUID, list[tuple[UUID, str, int]]] = {i: [] for i in generation_ids}
        for row in (await self.session.execute(stmt)).all():
            found[row.generation_id].append((row.input_generation_id, row.role, row.position))
        return found

    async def lineage_edges(
        self, root: UUID, *, ancestors: bool, max_depth: int
    ) -> list[tuple[UUID, UUID, str, int]]:
        """Edges reachable from `root` within max_depth, by recursive SQL. UNION (not UNION ALL) plus the depth
        bound keeps it finite even if the data held a cycle."""
        near, far = (
            ("generation_id", "input_generation_id")
            if ancestors
            else ("input_generation_id", "generation_id")
        )
        sql = text(
            f"""
            WITH RECURSIVE walk(generation_id, input_generation_id, role, depth) AS (
                SELECT gi.generation_id, gi.input_generation_id, gi.role, 1
                FROM generation_inputs gi WHERE gi.tenant_id = :tenant AND gi.{near} = :root
              UNION
                SELECT gi.generation_id, gi.input_generation_id, gi.role, walk.depth + 1
                FROM generation_inputs gi JOIN walk ON gi.{near} = walk.{far}
                WHERE gi.tenant_id = :tenant AND walk.depth < :max_depth
            )
            SELECT generation_id, input_generation_id, role, min(depth) AS depth
            FROM walk GROUP BY generation_id, input_generation_id, role ORDER BY depth
            """  # noqa: S608  (the interpolated names are two fixed column names, never input)
        )
        rows = await self.session.execute(
            sql, {"tenant": self.tenant_id, "root": root, "max_depth": max_depth}
        )
        return [(r.generation_id, r.input_generation_id, r.role, int(r.depth)) for r in rows.all()]

    async def readable_among(
        self, generation_ids: Sequence[UUID], *, viewer: UUID | None, public_reads: bool
    ) -> list[Generation]:
        """The given generations whose boards the viewer may read (lineage can cross boards)."""
        visible = select(boards.c.id).where(
            self.scope(boards), readable_boards(boards, members, viewer, public_reads=public_reads)
        )
        stmt = select(*GENERATION_SELECT).where(
            self.scope(generations),
            generations.c.id.in_(list(generation_ids)),
            generations.c.board_id.in_(visible),
        )
        return generations_of(await self.session.execute(stmt), self._urls)


# Built once from the fields of the domain's PendingGeneration (plus the tenant): a field added there is a
# column written here, and a bind the statement does not know raises. A repeated idempotency key inserts
# nothing and returns no row.
_INSERT_PENDING = Prepared(
    "generations.insert_pending",
    pg_insert(generations)
    .values(
        {
            name: bindparam(name, type_=generations.c[name].type)
            for name in ("tenant_id", *PendingGeneration.__struct_fields__)
        }
    )
    .on_conflict_do_nothing(
        index_elements=[generations.c.tenant_id, generations.c.user_id, generations.c.idempotency_key]
    )
    .returning(*GENERATION_COLUMNS),
    writes=True,
)


class SqlGenerationWriter(TenantScoped):
    """Implements app.domain.generations.GenerationWriter."""

    async def insert_pending(self, pending: PendingGeneration) -> tuple[Generation, bool]:
        found = await _INSERT_PENDING.fetch(self.session, self.stamp(msgspec.structs.asdict(pending)))
        row = found.one_or_none()
        if row is not None:
            return _GENERATIONS.over(found.keys)(row), True
        existing = select(*GENERATION_COLUMNS).where(
            self.scope(generations),
            generations.c.user_id == pending.user_id,
            generations.c.idempotency_key == pending.idempotency_key,
        )
        result = await self.session.execute(existing)
        return _GENERATIONS.over(tuple(result.keys()))(result.one()), False

    async def cancel(self, generation_id: UUID) -> Generation | None:
        stmt = (
            update(generations)
            .where(
                self.scope(generations),
                generations.c.id == generation_id,
                generations.c.status.in_(["pending", "processing"]),
            )
            .values(
                status="cancelled", cancel_requested_at=func.now(), completed_at=func.now(),
                status_message="cancelled", updated_at=func.now(), lease_owner=None, lease_expires_at=None,
            )
            .returning(*GENERATION_COLUMNS)
        )  # fmt: skip
        result = await self.session.execute(stmt)
        row = result.one_or_none()
        return None if row is None else _GENERATIONS.over(tuple(result.keys()))(row)

    async def record_inputs(self, generation_id: UUID, refs: list[tuple[str, UUID, int]]) -> None:
        rows = [
            {"tenant_id": self.tenant_id, "generation_id": generation_id, "input_generation_id": ref,
             "role": role, "position": position}
            for role, ref, position in refs
        ]  # fmt: skip
        await self.session.execute(pg_insert(generation_inputs).values(rows).on_conflict_do_nothing())
