"""The lease keeper: one statement every fifth of a lease (RENEWALS_PER_LEASE) renews every run this worker
process has going, and stops the runs whose row it no longer holds (cancelled, or taken over after this
worker lost its lease in a pause or partition). A dead process renews nothing, so its runs lapse and the sweeper recovers them."""

from __future__ import annotations

import asyncio

from app.jobs.runtime import WorkerRuntime
from app.platform.logging import get_logger
from app.platform.outages import is_outage
from app.wiring import build_sweeper

log = get_logger("atelier.jobs.leases")
# Renewals (and presence checks) per lease. A live worker's heartbeat is then at most lease/5 old (plus event
# loop lag), well inside the lease/3 a sweeper waits before it takes the runs of a worker whose presence lock
# is gone (app.db.stores.lifecycle.presence_guard): a lock connection that merely dropped is taken again by
# the next renewal, before its runs could be judged lost.
RENEWALS_PER_LEASE = 5


async def renew_leases(runtime: WorkerRuntime) -> int:
    """Renew once; returns how many runs were stopped."""
    running = dict(runtime.runs)  # registered before the statement: a later claim is not judged by it
    if not running:
        return 0
    try:
        async with runtime.sessions() as session:
            held = await build_sweeper(session).renew(runtime.owner, runtime.lease_s, list(running))
            await session.commit()
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("leases not renewed: database unreachable", runs=len(running))
        return 0  # the runs go on; their own writes are fenced if another worker takes over meanwhile
    stopped = 0
    for generation_id, context in running.items():
        if context.finishing:  # its final write may have ended the row already: nothing to stop
            continue
        if held.get(generation_id) != context.attempt and runtime.runs.get(generation_id) is context:
            log.warning("run stopped: no longer holds its generation", generation_id=str(generation_id))
            context.stop()
            stopped += 1
    return stopped


async def keep_leases(runtime: WorkerRuntime) -> None:
    """Runs for the worker's lifetime (started by its startup hook, cancelled by its shutdown hook); keeps
    the worker's presence lock too (taken again after a lost connection or a database restart)."""
    while True:
        await asyncio.sleep(runtime.lease_s / RENEWALS_PER_LEASE)
        try:
            if runtime.presence is not None:
                await runtime.presence.ensure()
            await renew_leases(runtime)
        except Exception:
            log.exception("lease renewal failed")
