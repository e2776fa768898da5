"""CPU-bound work in worker processes, so that the event loop's thread never waits behind it.

A worker thread was not enough: scoring 150 symbols in a thread held the GIL, and on one core
the CPU, for milliseconds at a time, and `/health`'s p99 during a run was about 5x idle. Each
kind of work has its own worker process (`SCORING`; `LAB`: replays, calibrations, the
what-if of a scoring change; `READS`: the heavy reads' maths, correlation, risk figures and risk
weights), so a calibration of minutes never delays a scoring run, nor either a caller's read. A
worker serves the whole service process (every app in it), started on first use with `spawn`
(safe beside the event loop's threads) and stopped at interpreter exit, or ended by
`stop_workers` when a signal stops the service (uvicorn re-raises the SIGTERM it shut down on:
no interpreter exit); a worker that died is replaced on the next call, and one used seldom
(`RETIRE_AFTER_S`: the lab's) ends once idle. Killed (SIGKILL), the service leaves its workers to
end with it (Linux).

A worker imports what its calls name and no more: their modules (`app.scoring.run_scores`,
`app.lab.compute` and `app.lab.reports`, `app.portfolio.maths.heavy_reads`) import the pure maths
and numpy, not the database's packages, pydantic or the web framework
(`tests/unit/platform/runtime/test_process_imports.py`), and each call's free heap goes back to
the system after it (`_tidy`). A worker held 30-80 MB of its own before; 25-30 MB now (issue 84,
`tests/bench/bench_footprint.py`). A fork server that preloaded those modules for every worker
to share was measured too and left: beside lean workers it saved nothing (the tree's PSS was
188-190 MB with it, 183 MB without: its own process costs what the sharing saves).

A long run reports through a `SharedProgress`: a few bytes of shared memory the worker writes
its share done into, and reads a stop request from, at each step.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import struct
import sys
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.shared_memory import SharedMemory
from typing import Any, TypeVar

from app.platform.core.errors import WorkerUnavailableError
from app.platform.runtime.heap import trim_free_heap, tune_heap
from app.platform.runtime.progress import RunAborted

T = TypeVar("T")

SCORING = "scoring"
LAB = "lab"
READS = "reads"

# A new worker is ready within a second of the next call (its spawn and imports).
WORKER_RETRY_AFTER_S = 2

# The lab's runs come minutes or hours apart: their worker (some 60 MB once a run has read the
# database) ends once idle this long; the next run's starts in about a second, in its own process.
RETIRE_AFTER_S = {LAB: 30.0}

_pools: dict[str, ProcessPoolExecutor] = {}
_ended: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()  # by `stop_workers`
_starting = threading.Lock()
_in_flight: Counter[str] = Counter()  # calls awaited, by worker (touched on the event loop)
_calls: Counter[str] = Counter()  # calls made, by worker: a retirement checks none came since

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
NAME_BYTES = 15  # the kernel's limit for a thread's name (ps, top)


# Evidence runs for minutes, in the idle scheduling class (Linux): where worker and service
# share a core, a waking event loop preempts it at once. A nice level only lowers its share: the
# kernel still lets the running worker finish its slice (milliseconds) before the loop runs.
# The price: on a core kept busy without pause, a run gets a sliver of it and slows, by design
# (requests first). Scoring and the reads keep the normal class: someone waits for them.
IDLE_CLASS = {SCORING: False, LAB: True, READS: False}


def _start_worker(worker: str, idle_class: bool) -> None:
    """In the worker: SIGTERM when the thread that started it (the event loop's) dies (Linux);
    its name, `mysym-<worker>` (ps, top); the idle scheduling class if `idle_class`; the
    service's heap settings (app.platform.runtime.heap)."""
    tune_heap()
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        with contextlib.suppress(OSError, AttributeError):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            libc.prctl(PR_SET_NAME, f"mysym-{worker}".encode()[:NAME_BYTES])
        if idle_class:
            with contextlib.suppress(OSError, AttributeError):
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def _executor(worker: str, replace: ProcessPoolExecutor | None = None) -> ProcessPoolExecutor:
    with _starting:
        pool = _pools.get(worker)
        if pool is None or pool is replace:
            pool = _pools[worker] = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(worker, IDLE_CLASS.get(worker, False)),
            )
        return pool


async def stop_workers(timeout_s: float) -> None:
    """End every worker (the process is ending by a signal, so the interpreter exit that would
    never comes) and release its pool's queues, waiting up to `timeout_s`. The service aborted
    its runs first, so nothing a call in flight returns is used: it is not waited for (an
    idle-class lab worker on a busy machine took seconds to reach its next step, past the
    deployment's graceful timeout)."""
    with _starting:
        pools = list(_pools.values())
        _pools.clear()
        _ended.update(pools)

    def shut_down() -> None:
        for pool in pools:
            # The pool's own record of its processes (3.14 adds `terminate_workers()` for this).
            for process in list((pool._processes or {}).values()):
                process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.to_thread(shut_down), timeout_s)


def _import(module: str) -> None:
    importlib.import_module(module)


def prestart(module: str, worker: str = SCORING) -> None:
    """Start the worker now, if it is not running, and have it import `module`, without waiting:
    a first call then finds it ready instead of paying its spawn and imports (about 0.7 s)."""
    pool = _executor(worker)
    try:
        pool.submit(_import, module)
    except BrokenProcessPool:
        _executor(worker, replace=pool).submit(_import, module)


def _tidy() -> None:
    """The call `_let_go` sends, carrying nothing: in the worker, after the call before it has
    answered, the free pages of its C heap go back to the system (what that call's unpickled
    inputs and intermediate arrays left: some 5 MB a worker)."""
    trim_free_heap()


def _let_go(pool: ProcessPoolExecutor) -> None:
    """Have the worker's call queue let go of the call it sent last. Its feeder thread keeps
    that call, pickled, until it sends the next (CPython's `multiprocessing.queues.Queue._feed`):
    for a scoring run its inputs and candle window, some 9 MB held from one run to the next, of
    a size that varies with the run. An empty call after each takes its place; not waited for."""
    with contextlib.suppress(BrokenProcessPool, RuntimeError):  # broken, or shut down
        pool.submit(_tidy)


async def _call(pool: ProcessPoolExecutor, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
    finally:
        _let_go(pool)


def _retire_if_idle(worker: str, pool: ProcessPoolExecutor, calls: int) -> None:
    """End `worker`'s process if no call came since the `calls`-th and none is in flight."""
    if _in_flight[worker] or _calls[worker] != calls:
        return
    with _starting:
        if _pools.get(worker) is not pool:
            return
        del _pools[worker]
    pool.shutdown(wait=False)


async def in_worker(fn: Callable[..., T], *args: Any, worker: str = SCORING) -> T:
    """`fn(*args)` in the `worker` process (`fn` and the arguments travel by pickle). A worker
    that dies under the call is replaced and the call made again; when that one dies too,
    `WorkerUnavailableError` (503, `Retry-After`), not a bare 500."""
    _calls[worker] += 1
    _in_flight[worker] += 1
    try:
        return await _replaced_once(fn, args, worker)
    finally:
        _in_flight[worker] -= 1
        pool = _pools.get(worker)
        if worker in RETIRE_AFTER_S and not _in_flight[worker] and pool is not None:
            asyncio.get_running_loop().call_later(
                RETIRE_AFTER_S[worker], _retire_if_idle, worker, pool, _calls[worker]
            )


async def _replaced_once(fn: Callable[..., T], args: tuple[Any, ...], worker: str) -> T:
    pool = _executor(worker)
    try:
        return await _call(pool, fn, args)
    except BrokenProcessPool:  # the worker died (killed, out of memory): once more, in a new one
        if pool in _ended:  # not died: ended, the service is stopping
            raise
    pool = _executor(worker, replace=pool)
    try:
        return await _call(pool, fn, args)
    except BrokenProcessPool as exc:
        if pool in _ended:  # the service is stopping
            raise
        raise WorkerUnavailableError(
            f"the {worker} worker process died twice under this call (killed, or out of "
            "memory); the next call starts another",
            retry_after_s=WORKER_RETRY_AFTER_S,
        ) from exc


_LAYOUT = struct.Struct("d?")  # the share done; whether the service asked the run to stop


def _buffer(memory: SharedMemory) -> memoryview:
    buffer = memory.buf
    assert buffer is not None  # until closed
    return buffer


class SharedProgress:
    """One run's progress and stop request, shared with the worker that computes it. The
    service creates it, hands `channel` to the worker's call, reads `done`, may `stop()` the
    run, and `close()`s it once the call returned."""

    def __init__(self) -> None:
        self._memory = SharedMemory(create=True, size=_LAYOUT.size)
        self._buffer = _buffer(self._memory)
        _LAYOUT.pack_into(self._buffer, 0, 0.0, False)
        self.channel = ProgressChannel(self._memory.name)

    @property
    def done(self) -> float:
        return float(_LAYOUT.unpack_from(self._buffer, 0)[0])

    def stop(self) -> None:
        """The run ends with `RunAborted` at its next step."""
        _LAYOUT.pack_into(self._buffer, 0, self.done, True)

    def close(self) -> None:
        self._memory.close()
        self._memory.unlink()


@dataclass(frozen=True)
class ProgressChannel:
    """What the worker's call receives (by name: shared memory does not travel by pickle)."""

    name: str

    @contextlib.contextmanager
    def reporting(self) -> Iterator[Callable[[float], None]]:
        """In the worker, for the call: `report(fraction)` records the share done and raises
        `RunAborted` once the service asked the run to stop."""
        memory = SharedMemory(name=self.name)  # registered again with the service's tracker
        buffer = _buffer(memory)

        def report(fraction: float) -> None:
            if _LAYOUT.unpack_from(buffer, 0)[1]:
                raise RunAborted("the service is stopping")
            _LAYOUT.pack_into(buffer, 0, fraction, False)

        try:
            yield report
        finally:
            memory.close()
