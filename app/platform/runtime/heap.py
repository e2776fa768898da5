"""The C heap kept from fragmenting, and its free memory handed back to the system after a job run.

A job run moves large short-lived buffers through the service's process: a scoring run reads the
histories from the database, pickles them to its worker process, unpickles the report and writes
thousands of rows. glibc's malloc keeps what they freed in its arenas for reuse, and much of it
stays resident, fragmented among what lives on: at production cadence the process grew about
60 MB an hour in steps at the scoring runs while Python's own objects stayed flat (the soak in
tests/bench/README.md). `malloc_trim(0)` returns the free pages of every arena to the system.
It walks the arenas (milliseconds for a few hundred MB), so it runs in a thread; where the C
library is not glibc there is no such call, and nothing is done.

The trim cannot return a free chunk lying between live ones. glibc makes many: its mmap threshold
(the size from which a block gets a mapping of its own, returned to the system on free) starts
at 128 KiB and rises to the size of each mapped block freed, up to 32 MiB. The forward record's
kept window holds arrays of megabytes; after one is freed, every buffer under that size comes
from the heap, where it leaves a hole the next smaller allocation splits. Measured in the soak
(tests/bench/README.md): left to glibc, its free memory rose by about 20 MB at each hour mark
with nothing more held; held, it stayed at 18-31 MB across one. So the service fixes the
threshold at glibc's own starting value, which also ends the dynamic adjustment (mallopt(3)):
large buffers are mapped and unmapped, and the heap holds only small blocks. An operator's own
`MALLOC_MMAP_THRESHOLD_` is left as glibc applied it.

glibc also gives each new thread that allocates a heap of its own (an arena), up to eight a
core, and each keeps its own free memory and its own holes. The service's threads allocate
little but in many places: the event loop's, `asyncio.to_thread`'s (the forward record's
decisions, the trims), the log writer's, aiosqlite's one a SQLite connection. Two arenas are
enough for them: measured with tests/bench/bench_footprint.py, the service's USS 113.6 -> 109.0
MB on PostgreSQL and 133.9 -> 129.4 MB on SQLite (the image: 114.3 -> 113.7), its reads and
scoring runs as fast (tests/bench/README.md, "The libraries without their docstrings, and two
malloc arenas"). An operator's own `MALLOC_ARENA_MAX` is left as glibc applied it.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import logging
import os
import platform
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

# mallopt's parameters (malloc.h), each with what this process sets it to and glibc's variable
# by which an operator sets it instead.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's initial threshold, held
M_ARENA_MAX = -8
ARENAS = 2
OPERATOR_SETTINGS = {M_MMAP_THRESHOLD: "MALLOC_MMAP_THRESHOLD_", M_ARENA_MAX: "MALLOC_ARENA_MAX"}


@functools.cache
def _glibc(name: str) -> Callable[..., int] | None:
    """glibc's function `name` (the C library is read once: `platform.libc_ver` scans the
    interpreter's binary); None where the C library is not glibc or has no such function."""
    if platform.libc_ver()[0] != "glibc":
        return None
    function: Callable[..., int] | None = getattr(ctypes.CDLL(None), name, None)
    return function


def _mallopt(parameter: int, value: int) -> bool:
    """Set one of glibc's malloc parameters in this process; False where that is not done (not
    glibc, or the operator set it)."""
    mallopt = _glibc("mallopt")
    if mallopt is None or OPERATOR_SETTINGS[parameter] in os.environ:
        return False
    return bool(mallopt(parameter, value) == 1)


def hold_mmap_threshold() -> bool:
    """Fix glibc's mmap threshold at `MMAP_THRESHOLD_BYTES` in this process; False where that is
    not done."""
    return _mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def limit_arenas() -> bool:
    """At most `ARENAS` malloc arenas in this process from now on (threads that allocated
    before keep theirs); False where that is not done."""
    return _mallopt(M_ARENA_MAX, ARENAS)


def tune_heap() -> None:
    """The service's and each worker process's start: the mmap threshold held and the arenas
    limited, before their threads and large buffers."""
    hold_mmap_threshold()
    limit_arenas()


def trim_free_heap() -> bool:
    """Return the C heap's free pages to the system; False where that cannot be done (not glibc)."""
    trim = _glibc("malloc_trim")
    if trim is None:
        return False
    started = time.perf_counter()
    trim(0)
    logger.debug("heap: free pages returned in %.1f ms", (time.perf_counter() - started) * 1000)
    return True


async def release_free_heap() -> bool:
    """`trim_free_heap` off the event loop."""
    return await asyncio.to_thread(trim_free_heap)
