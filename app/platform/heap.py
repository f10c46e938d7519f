"""Start-up heap freezing, for the API and the worker processes."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Move everything start-up built (schema, routes, SQLAlchemy metadata, generators) out of the cyclic
    GC's reach: otherwise every oldest-generation collection walks it all again, a pause of tens of
    milliseconds that showed up as a 100+ ms p99 at one request at a time."""
    gc.collect()
    gc.freeze()
