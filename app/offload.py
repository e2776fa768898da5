"""CPU-bound work in a worker process, so that the event loop's thread never waits behind it.

A worker thread was not enough: scoring 150 symbols in a thread held the GIL, and on one core
the CPU, for milliseconds at a time, and `/health`'s p99 during a run was about 5x idle. One
worker process serves the whole service process (every app in it), started on first use with
`spawn` (safe beside the event loop's threads) and stopped at interpreter exit; a worker that
died is replaced on the next call. A service killed by a signal (uvicorn re-raises the SIGTERM it
shut down on; SIGKILL) never reaches that exit: on Linux the worker then ends with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib
import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None
_starting = threading.Lock()


PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """In the worker: SIGTERM when the thread that started it (the event loop's) dies (Linux)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _executor(replace: ProcessPoolExecutor | None = None) -> ProcessPoolExecutor:
    global _pool
    with _starting:
        if _pool is None or _pool is replace:
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_with_parent,
            )
        return _pool


def _import(module: str) -> None:
    importlib.import_module(module)


def prestart(module: str) -> None:
    """Start the worker now, if it is not running, and have it import `module`, without waiting:
    a first call then finds it ready instead of paying its spawn and imports (about 0.7 s)."""
    pool = _executor()
    try:
        pool.submit(_import, module)
    except BrokenProcessPool:
        _executor(replace=pool).submit(_import, module)


async def in_worker(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in the worker process (`fn` and the arguments travel by pickle)."""
    loop = asyncio.get_running_loop()
    pool = _executor()
    try:
        return await loop.run_in_executor(pool, fn, *args)
    except BrokenProcessPool:  # the worker died (killed, out of memory): once more, in a new one
        return await loop.run_in_executor(_executor(replace=pool), fn, *args)
