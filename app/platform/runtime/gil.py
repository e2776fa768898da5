"""The GIL handed back to the event loop sooner while the service runs.

The loop shares the interpreter with threads that do Python work in bulk: SQLite's connection
thread building rows (a replay reads ~10^5 of them), the process pools' threads pickling a
run's history and unpickling its report, the thread that assembles a history's table. A thread
holding the GIL keeps it until the loop has waited the switch interval (5 ms by default) for
it: a request arriving then waits that long. At 0.5 ms it waits a tenth; the interval only
matters while threads contend, so an idle service pays nothing for it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_INTERVAL_S = 0.0005


@contextmanager
def loop_first_gil() -> Iterator[None]:
    """While the service runs: the shorter switch interval; afterwards (tests start many apps
    in one process) the one before."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    try:
        yield
    finally:
        sys.setswitchinterval(before)
