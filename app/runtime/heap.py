"""The C heap's free memory handed back to the system after a job run.

A job run moves large short-lived buffers through the service's process: a scoring run reads the
histories from the database, pickles them to its worker process, unpickles the report and writes
thousands of rows. glibc's malloc keeps what they freed in its arenas for reuse, and much of it
stays resident, fragmented among what lives on: at production cadence the process grew about
60 MB an hour in steps at the scoring runs while Python's own objects stayed flat (the soak in
tests/bench/README.md). `malloc_trim(0)` returns the free pages of every arena to the system.
It walks the arenas (milliseconds for a few hundred MB), so it runs in a thread; where the C
library is not glibc there is no such call, and nothing is done.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import logging
import platform
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    trim: Callable[[int], int] | None = getattr(ctypes.CDLL(None), "malloc_trim", None)
    return trim


def trim_free_heap() -> bool:
    """Return the C heap's free pages to the system; False where that cannot be done (not glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    started = time.perf_counter()
    trim(0)
    logger.debug("heap: free pages returned in %.1f ms", (time.perf_counter() - started) * 1000)
    return True


async def release_free_heap() -> bool:
    """`trim_free_heap` off the event loop."""
    return await asyncio.to_thread(trim_free_heap)
