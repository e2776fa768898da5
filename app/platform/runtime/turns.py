"""A few of one kind of work at once in an event loop, the others waiting their turn.

Ten heavy reads at once kept `/health` waiting about 100 ms at its p99: their database queries
and their steps on the event loop came all together, on a core the loop shares. Two at a time
kept it at 28-48 ms, for about the same throughput (tests/bench/bench_heavy_windows.py).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Turns:
    """At most `n` holders at once in each event loop of the process (a service runs one loop;
    the tests run many, one after another, and a semaphore serves only the loop it met)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._by_loop = weakref.WeakKeyDictionary()

    @asynccontextmanager
    async def taken(self) -> AsyncIterator[None]:
        """Hold one turn for the block, waiting for it first while `n` are held."""
        loop = asyncio.get_running_loop()
        semaphore = self._by_loop.get(loop)
        if semaphore is None:
            semaphore = self._by_loop[loop] = asyncio.Semaphore(self.n)
        async with semaphore:
            yield
