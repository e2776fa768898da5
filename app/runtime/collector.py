"""The garbage collector tuned for a long-running service whose event loop must stay free.

A collection stops the event loop while it runs. A full one walked everything built at startup
(~130 ms during a scoring run) until startup's objects were frozen out of its sight, and a
scoring run's ~10^5 short-lived rows triggered one about every 100 ms at the default (700, 10,
10) thresholds. Rarer collections leave cyclic garbage a little longer; plain garbage goes by
reference counting as ever.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (50_000, 50, 100)


@contextmanager
def service_heap() -> Iterator[None]:
    """While the service runs: what exists now is frozen, collections are rarer; afterwards
    (tests start many apps in one process) both are undone."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
