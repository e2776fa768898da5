"""The garbage collector tuned for a long-running service whose event loop must stay free.

A collection stops the event loop while it runs. A full one walked everything built at startup
(~130 ms during a scoring run) until startup's objects were frozen out of its sight, and a
scoring run's ~10^5 short-lived rows triggered one about every 100 ms at the default (700, 10,
10) thresholds. Plain garbage goes by reference counting as ever.

At the rarer thresholds below the older generations were almost never collected: a young one came
about once a minute under 12 000 reads a second, so the middle generation every 50 minutes and the
oldest after days. Cyclic garbage that outlived one young collection (a statement built for a read
still in flight, a cached answer replaced) piled up there, and Python's arenas kept each new high.
So collections also run on a clock: the young and middle generations every minute (what they hold
is about a minute's worth), the whole heap every tenth minute. What is not frozen is small: in a
soak (tests/bench/README.md) a full collection took 16-31 ms and a clocked one 2-8 ms, where the
automatic young one had taken 12-37 ms; Python's live blocks stayed flat.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.platform.runtime.background import cancel_and_wait

THRESHOLDS = (50_000, 50, 100)
COLLECTION_EVERY_S = 60.0
FULL_EVERY = 10  # collections on the clock: one in ten takes the whole heap


async def _collect_on_the_clock(every_s: float) -> None:
    for count in itertools.count(1):
        await asyncio.sleep(every_s)
        gc.collect(2 if count % FULL_EVERY == 0 else 1)


@asynccontextmanager
async def service_heap(
    collection_every_s: float = COLLECTION_EVERY_S,
) -> AsyncIterator[None]:
    """While the service runs: what exists now is frozen, automatic collections are rarer and
    others run every `collection_every_s`; afterwards (tests start many apps in one process) all
    of it is undone."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    collecting = asyncio.create_task(
        _collect_on_the_clock(collection_every_s), name="clocked-collections"
    )
    try:
        yield
    finally:
        await cancel_and_wait(collecting)
        gc.set_threshold(*before)
        gc.unfreeze()
