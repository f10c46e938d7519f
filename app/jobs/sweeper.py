"""The sweeper: no generation is left stuck. Every few seconds it re-queues pending rows whose job was lost
and recovers processing rows whose worker stopped heart-beating (requeue while attempts remain, else fail
with a reason). Every change is committed before it is published or queued."""

from __future__ import annotations

from typing import Any

from app.db.stores.lifecycle import SqlLifecycle
from app.db.stores.sweeper import SqlSweeper
from app.platform.events import publish
from app.platform.logging import get_logger
from app.queue.dispatcher import MAX_ATTEMPTS, enqueue_generation

log = get_logger("atelier.jobs.sweeper")
HEARTBEAT_GRACE_S = 45.0


async def sweep_generations(ctx: dict[str, Any]) -> dict[str, int]:
    runtime = ctx["atelier"]
    queue = ctx["worker"].queue
    counts = {"requeued": 0, "failed": 0, "queued": 0}
    async with runtime.sessions() as session:
        sweeper = SqlSweeper(session)
        dead = await sweeper.processing_without_heartbeat(HEARTBEAT_GRACE_S)
        for stale in dead:
            if stale.attempt >= MAX_ATTEMPTS + 1:
                counts["failed"] += await sweeper.fail(
                    stale, "the worker stopped responding; gave up after retries"
                )
            else:
                counts["requeued"] += await sweeper.requeue(stale, "the worker stopped responding; retrying")
        waiting = await sweeper.pending_without_progress(runtime.pending_grace_s)
        await session.commit()
    for stale in [*dead, *waiting]:
        async with runtime.sessions() as session:
            state = await SqlLifecycle(session, stale.tenant_id, urls=runtime.storage.signed_url).status(
                stale.generation_id
            )
        if state == "pending":
            await enqueue_generation(
                queue, stale.generation_id, stale.tenant_id
            )  # keyed: never a duplicate run
            counts["queued"] += 1
        elif state == "failed":
            await _announce_failure(runtime, stale)
    if any(counts.values()):
        log.info("sweep", **counts)
    return counts


async def _announce_failure(runtime: Any, stale: Any) -> None:
    from app.db.stores.generations import SqlGenerationStore

    async with runtime.sessions() as session:
        generation = await SqlGenerationStore(session, stale.tenant_id, urls=runtime.storage.signed_url).get(
            stale.generation_id
        )
    if generation is not None:
        await publish(runtime.redis, generation)
