"""Grow the benchmark data set to any size with binary COPY: `BENCH_SCALE=100` → 1,000,000 generations.

Reusable on its own (`await grow(dsn, seeded, total=...)`): extra completed generations are spread over the
seeded boards and authors, with prompts drawn from a Zipf-distributed vocabulary (a few words everywhere,
most words rare, like real prompts), so full-text selectivity and facet spreads look like a real gallery's.
The secondary indexes of `generations` are dropped for the load and rebuilt after it (a bulk build is many
times faster than a million index inserts), then the table is ANALYZEd.
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench.seed import GENERATIONS_PER_BOARD, GENERATORS, NEGATIVE, WORDS, Seeded

BASE_GENERATIONS = 10_000  # what bench.seed loads: BENCH_SCALE multiplies it
CHUNK = 50_000
VOCABULARY = 4_000
PROMPTS = 40_000  # distinct prompts; rows reuse them (variations of one idea share a prompt)
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vo",
    "shi",
    "ne",
    "qua",
    "dor",
    "el",
    "ph",
    "zu",
    "bri",
    "an",
    "ost",
)
COLUMNS = ("id", "tenant_id", "board_id", "user_id", "generator_name", "artifact_type", "status", "progress",
           "input_params", "output_metadata", "storage_key", "thumbnail_key", "attempt", "started_at",
           "completed_at", "created_at", "updated_at")  # fmt: skip
# Words at known ranks of the Zipf vocabulary: the bench's two-word query uses them (each in a few % of rows).
QUERY_RANKS = (40, 90)


def scale_from_env() -> int:
    """BENCH_SCALE (default 1): the data set is BENCH_SCALE × 10,000 generations."""
    return max(1, int(os.environ.get("BENCH_SCALE") or 1))


def vocabulary(rng: random.Random) -> list[str]:
    """The seed's words first (the common head), then made-up words, all distinct."""
    words = list(dict.fromkeys(WORDS))
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def query_words() -> tuple[str, str]:
    """Two words of middling frequency for the bench's search rows."""
    words = vocabulary(random.Random(7))  # noqa: S311 - deterministic data, not security
    return words[QUERY_RANKS[0]], words[QUERY_RANKS[1]]


def _prompts(rng: random.Random, words: list[str]) -> list[str]:
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    total = weights[-1]

    def word() -> str:
        return words[min(bisect.bisect(weights, rng.random() * total), len(words) - 1)]

    return [" ".join(word() for _ in range(rng.randint(8, 40))) for _ in range(PROMPTS)]


def _records(seeded: Seeded, extra: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    prompts = _prompts(rng, vocabulary(random.Random(7)))  # noqa: S311
    boards = list(seeded.generations_by_board)
    owners = {b: o for o, bs in seeded.boards_by_owner.items() for b in bs}
    now = datetime.now(UTC).replace(microsecond=0)
    span = 365 * 86_400
    for _ in range(extra):
        name, model, artifact = GENERATORS[rng.randrange(len(GENERATORS))]
        board = boards[rng.randrange(len(boards))]
        width, height = rng.choice((512, 768, 1024, 1344)), rng.choice((512, 768, 1024, 1344))
        seed = rng.randint(0, 2**31)
        params = {"prompt": prompts[rng.randrange(PROMPTS)], "negative_prompt": NEGATIVE, "model": model,
                  "seed": seed, "width": width, "height": height, "num_inference_steps": rng.choice((25, 30, 50)),
                  "scheduler": rng.choice(("DPM++ 2M Karras", "K_EULER_ANCESTRAL", "DDIM"))}  # fmt: skip
        meta = {"seed": seed, "width": width, "height": height, "format": "webp"}
        created = now - timedelta(seconds=rng.randrange(span))
        done = created + timedelta(seconds=rng.randint(3, 90))
        key = f"{seeded.tenant_id}/{board}/{uuid.uuid4()}"
        yield (uuid.UUID(int=rng.getrandbits(128), version=4), seeded.tenant_id, board, owners[board], name,
               artifact, "completed", 1.0, json.dumps(params), json.dumps(meta), f"{key}.webp",
               f"{key}-thumb.webp", 1, created, done, created, done)  # fmt: skip


async def _secondary_indexes(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'generations'"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    )
    return [(r["indexname"], r["indexdef"]) for r in rows]


async def grow(dsn: str, seeded: Seeded, *, total: int, say: Any = None) -> float:
    """Add generations until the table holds `total` (no-op when it already does); returns seconds spent."""
    started = time.monotonic()
    extra = total - GENERATIONS_PER_BOARD * len(seeded.generations_by_board)
    if extra <= 0:
        return 0.0
    conn = await asyncpg.connect(dsn)
    try:
        indexes = await _secondary_indexes(conn)
        for name, _ in indexes:
            await conn.execute(f'DROP INDEX "{name}"')
        records = _records(seeded, extra, random.Random(20_240_602))  # noqa: S311
        loaded = 0
        while chunk := list(itertools.islice(records, CHUNK)):
            await conn.copy_records_to_table("generations", records=chunk, columns=COLUMNS)
            loaded += len(chunk)
            if say:
                say(
                    f"scale: {loaded:,}/{extra:,} extra generations loaded ({time.monotonic() - started:.0f} s)"
                )
        await conn.execute("SET maintenance_work_mem = '256MB'")
        for name, definition in indexes:
            if say:
                say(f"scale: rebuilding {name}")
            await conn.execute(definition)
        await conn.execute("VACUUM ANALYZE generations")
    finally:
        await conn.close()
    return time.monotonic() - started
