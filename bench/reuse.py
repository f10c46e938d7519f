"""`BENCH_DATA_DIR`: keep the seeded data set between bench runs (seeding 1,000,000 rows takes ~20 minutes).

With BENCH_DATA_DIR set, the bench works in that directory instead of a throwaway one and leaves it behind;
the first run seeds and writes `seeded.pickle` (the Seeded ids and the token secret), later runs find it,
start PostgreSQL on the same data directory, apply any new migrations and skip the seed. Delete the
directory to start over (it is tied to one BENCH_SCALE). A reused set first forgets the generations earlier
runs left unfinished (the seed makes only completed ones): the create rows add ≈400 pending generations per
run, which the feed and the sweeper's pending scan would otherwise walk more of on every run.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import asyncpg

from bench.seed import Seeded

STATE = "seeded.pickle"


def data_dir() -> Path | None:
    """The kept directory, or None for a throwaway run."""
    value = os.environ.get("BENCH_DATA_DIR") or ""
    return Path(value).absolute() if value else None


def load(root: Path) -> tuple[Seeded, str] | None:
    """The seed of an earlier run in root (its data set and token secret), if there was one."""
    path = root / STATE
    if not path.is_file():
        return None
    with path.open("rb") as file:
        seeded, secret = pickle.load(file)  # noqa: S301 - our own file, written by save() below
    return seeded, secret


def save(root: Path, seeded: Seeded, secret: str) -> None:
    with (root / STATE).open("wb") as file:
        pickle.dump((seeded, secret), file)


async def forget_leftovers(dsn: str) -> int:
    """Delete the generations earlier runs left unfinished; how many there were."""
    conn = await asyncpg.connect(dsn)
    try:
        status = await conn.execute("DELETE FROM generations WHERE status <> 'completed'")
    finally:
        await conn.close()
    return int(status.split()[-1])
