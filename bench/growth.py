"""The rest of a grown data set: people, boards, lineage, tags and likes, in proportion to BENCH_SCALE.

Per scale unit (10,000 generations): 1,000 users and 200 boards (so `BENCH_SCALE=100` is 100,000 users and
20,000 boards, the issue's shape), each new board with two members and every fifth public; then, once the
generations are loaded, lineage chains of depth 25 (one on the owner's first board for the lineage rows),
tags on about 30 % of generations and likes on about 40 %. Rows are made inside PostgreSQL
(`INSERT … SELECT` over `generate_series`: no round trip per row, faster still than COPY from here) with
deterministic values (hashes of the row number), then ANALYZEd.

`people()` runs before `bench.scale.grow` and returns the Seeded it should spread generations over (the new
boards included); `relations()` runs after it.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from typing import Any

import asyncpg

from bench.seed import GENERATIONS_PER_BOARD, Seeded

USERS_PER_SCALE = 1_000
BOARDS_PER_SCALE = 200
CHAINS_PER_SCALE = 40  # lineage chains of DEPTH + 1 generations each
DEPTH = 25
TAGS_PER_SCALE = 50

FIRST = ["Ada", "Grace", "Alan", "Hedy", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
         "Radia", "Donald", "Sophie", "Tim", "Katherine", "Niklaus", "Joan", "Guido", "Anita"]  # fmt: skip
LAST = ["Lovelace", "Hopper", "Turing", "Lamarr", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
        "Dijkstra", "Perlman", "Knuth", "Wilson", "Berners", "Johnson", "Wirth", "Clarke", "Rossum", "Borg"]  # fmt: skip
WORDS = ["moodboard", "portraits", "landscapes", "concept", "album", "covers", "product", "shots", "anime",
         "studies", "noir", "sketches", "textures", "logos", "posters", "dreams", "cities", "oceans", "robots",
         "flowers"]  # fmt: skip


async def people(dsn: str, seeded: Seeded, *, scale: int, say: Any = None) -> tuple[Seeded, int]:
    """Users up to USERS_PER_SCALE × scale and boards up to BOARDS_PER_SCALE × scale (with members).
    Returns the Seeded to grow generations over and the number of boards added."""
    started = time.monotonic()
    users = USERS_PER_SCALE * scale - len(seeded.users)
    boards = BOARDS_PER_SCALE * scale - len(seeded.generations_by_board)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(_USERS, seeded.tenant_id, max(0, users), FIRST, LAST)
        rows = await conn.fetch(_BOARDS, seeded.tenant_id, max(0, boards), WORDS)
        await conn.execute(_MEMBERS, [r["id"] for r in rows])
        await conn.execute("ANALYZE users; ANALYZE boards; ANALYZE board_members")
    finally:
        await conn.close()
    by_owner = {owner: list(ids) for owner, ids in seeded.boards_by_owner.items()}
    by_board = dict(seeded.generations_by_board)
    for row in rows:
        by_owner.setdefault(row["owner_id"], []).append(row["id"])
        by_board[row["id"]] = []
    if say:
        say(f"growth: {max(0, users):,} users, {len(rows):,} boards in {time.monotonic() - started:.0f} s")
    return dataclasses.replace(seeded, boards_by_owner=by_owner, generations_by_board=by_board), len(rows)


def generations_total(scale: int, added_boards: int) -> int:
    """The `total` for bench.scale.grow: it subtracts 50 per board it knows, the new (empty) ones included."""
    return 10_000 * scale + GENERATIONS_PER_BOARD * added_boards


def leaf_of(seeded: Seeded) -> uuid.UUID:
    """The leaf of the owner's lineage chain (what relations() returns; a kept data set is not seeded again)."""
    owner = seeded.users[0]
    return seeded.generations_by_board[seeded.boards_by_owner[owner.id][0]][DEPTH]


async def relations(dsn: str, seeded: Seeded, *, scale: int, say: Any = None) -> uuid.UUID:
    """Lineage chains, tags and likes; returns the leaf of the owner's chain (DEPTH ancestors)."""
    started = time.monotonic()
    owner = seeded.users[0]
    chain = seeded.generations_by_board[seeded.boards_by_owner[owner.id][0]][: DEPTH + 1]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(_OWNER_CHAIN, chain)
        picks = CHAINS_PER_SCALE * scale * (DEPTH + 1)
        await conn.execute(_CHAINS, seeded.tenant_id, picks, DEPTH + 1, seeded.boards_by_owner[owner.id][0])
        await conn.execute(_TAGS, seeded.tenant_id, TAGS_PER_SCALE * scale, WORDS)
        await conn.execute(_GENERATION_TAGS, seeded.tenant_id)
        await conn.execute(_LIKES, seeded.tenant_id)
        await conn.execute("ANALYZE generation_inputs; ANALYZE tags; ANALYZE generation_tags; ANALYZE likes")
        counts = await conn.fetchrow(_COUNTS)
    finally:
        await conn.close()
    if say and counts is not None:
        say(f"growth: {counts['edges']:,} lineage edges, {counts['tags']:,} tags, {counts['tagged']:,} tag "
            f"links, {counts['likes']:,} likes in {time.monotonic() - started:.0f} s")  # fmt: skip
    return chain[-1]


_USERS = """
INSERT INTO users (tenant_id, auth_provider, auth_subject, email, display_name, avatar_url, created_at, updated_at)
SELECT $1, 'local', 'grown-' || n, 'grown' || n || '@bench.atelier.test',
       ($3::text[])[1 + abs(hashint4(n)) % 20] || ' ' || ($4::text[])[1 + abs(hashint4(n + 7)) % 20] || ' ' || n,
       'https://avatars.atelier.test/grown-' || n || '.png',
       now() - make_interval(secs => abs(hashint4(n)) % 31536000), now()
FROM generate_series(1, $2::int) AS n
"""

_BOARDS = """
WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE tenant_id = $1)
INSERT INTO boards (tenant_id, owner_id, title, description, is_public, settings, metadata, created_at, updated_at)
SELECT $1, u.ids[1 + abs(hashint4(n * 31)) % cardinality(u.ids)],
       initcap(($3::text[])[1 + abs(hashint4(n)) % 20]) || ' ' || ($3::text[])[1 + abs(hashint4(n + 3)) % 20] || ' ' || n,
       'A board of ' || ($3::text[])[1 + abs(hashint4(n + 5)) % 20] || ' and ' || ($3::text[])[1 + abs(hashint4(n + 9)) % 20],
       n % 5 = 0, '{"layout": "grid"}', '{"client": "bench"}',
       now() - make_interval(secs => abs(hashint4(n)) % 31536000), now() - make_interval(secs => n)
FROM u, generate_series(1, $2::int) AS n
RETURNING id, owner_id
"""

_MEMBERS = """
WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users),
     b AS (SELECT b.id, b.tenant_id, b.owner_id, row_number() OVER (ORDER BY b.id) AS n
           FROM boards b WHERE b.id = ANY($1::uuid[]))
INSERT INTO board_members (tenant_id, board_id, user_id, role, invited_by)
SELECT b.tenant_id, b.id, u.ids[1 + abs(hashint4((b.n * 2 + k)::int)) % cardinality(u.ids)],
       CASE k WHEN 0 THEN 'viewer' ELSE 'editor' END::board_role, b.owner_id
FROM b, u, generate_series(0, 1) AS k
ON CONFLICT DO NOTHING
"""

_OWNER_CHAIN = """
INSERT INTO generation_inputs (tenant_id, generation_id, input_generation_id, role)
SELECT g.tenant_id, g.id, ($1::uuid[])[i - 1], 'image'
FROM generate_subscripts($1::uuid[], 1) AS i JOIN generations g ON g.id = ($1::uuid[])[i]
WHERE i > 1
"""

# Chains of $3 generations picked at random among completed ones: each consumed its predecessor.
_CHAINS = """
WITH picked AS (
  SELECT id, tenant_id, row_number() OVER () - 1 AS n
  FROM (SELECT id, tenant_id FROM generations WHERE tenant_id = $1 AND board_id <> $4
        ORDER BY md5(id::text) LIMIT $2) s
), linked AS (
  SELECT p.id, p.tenant_id, p.n, lag(p.id) OVER (ORDER BY p.n) AS parent FROM picked p
)
INSERT INTO generation_inputs (tenant_id, generation_id, input_generation_id, role)
SELECT tenant_id, id, parent, 'image' FROM linked WHERE n % $3 <> 0 AND parent IS NOT NULL
ON CONFLICT DO NOTHING
"""

_TAGS = """
INSERT INTO tags (tenant_id, name, slug)
SELECT $1, initcap(($3::text[])[1 + n % 20]) || ' ' || n, ($3::text[])[1 + n % 20] || '-' || n
FROM generate_series(1, $2::int) AS n
ON CONFLICT DO NOTHING
"""

_GENERATION_TAGS = """
WITH t AS (SELECT array_agg(id ORDER BY id) AS ids FROM tags WHERE tenant_id = $1)
INSERT INTO generation_tags (tenant_id, generation_id, tag_id)
SELECT g.tenant_id, g.id, t.ids[1 + abs(hashint4(hashtext(g.id::text) + k)) % cardinality(t.ids)]
FROM generations g, t, generate_series(0, 1) AS k
WHERE g.tenant_id = $1 AND abs(hashtext(g.id::text)) % 10 < 3 - k * 2
ON CONFLICT DO NOTHING
"""

_LIKES = """
WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE tenant_id = $1)
INSERT INTO likes (tenant_id, user_id, generation_id)
SELECT g.tenant_id, u.ids[1 + abs(hashtext(g.id::text || 'like')) % cardinality(u.ids)], g.id
FROM generations g, u
WHERE g.tenant_id = $1 AND abs(hashtext(g.id::text || 'l')) % 10 < 4
ON CONFLICT DO NOTHING
"""

_COUNTS = """
SELECT (SELECT count(*) FROM generation_inputs) AS edges, (SELECT count(*) FROM tags) AS tags,
       (SELECT count(*) FROM generation_tags) AS tagged, (SELECT count(*) FROM likes) AS likes
"""
