"""The service as the image runs it (uvicorn, one worker, `--limit-concurrency 1024`), with
tracemalloc on, for `bench_soak`: a worker process that reports where its memory goes.

`python -m tests.bench.soak_server PORT REPORT FRAMES` (FRAMES 0: tracemalloc off). SIGUSR1
appends one JSON line to REPORT with the traced memory (current, peak, tracemalloc's own
overhead), what the allocators hold and the garbage collector's work so far. SIGUSR2 does the
same with a snapshot: the first is the baseline, each later one adds the 20 places (FRAMES frames
deep) whose memory grew most since it. The signal only wakes a thread: the event loop is held for
as long as a snapshot takes (under a second at one frame), and never inside a signal handler.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
import tracemalloc
import weakref
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import uvicorn
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from app.platform.runtime.http_head import PROTOCOL

TOP = 20
PAGE = os.sysconf("SC_PAGE_SIZE")
MALLINFO2_FIELDS = (
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost",
)


def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class _Mallinfo2(ctypes.Structure):
    """glibc's `struct mallinfo2`, its fields in order."""

    _fields_ = [(name, ctypes.c_size_t) for name in MALLINFO2_FIELDS]


def native_heap() -> dict[str, int]:
    """What glibc's malloc holds, over all its arenas: `in_use` (allocated, mmapped chunks
    included) and `free` (freed but kept in the arenas). Growth of `in_use` is memory something
    still holds; growth of `free` is fragmentation."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    info = libc.mallinfo2()
    return {"in_use": info.uordblks + info.hblkhd, "free": info.fordblks}


def _array_bytes(value: object, seen: set[int]) -> int:
    """The bytes of the numpy arrays in `value`: its containers and dataclass fields only."""
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(_array_bytes(v, seen) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_array_bytes(v, seen) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cached = [v for v in getattr(value, "__dict__", {}).values() if isinstance(v, np.ndarray)]
        fields = [getattr(value, f.name) for f in dataclasses.fields(value)]
        return sum(_array_bytes(v, seen) for v in [*fields, *cached])
    return 0


def kept_window_bytes() -> int:
    """The numpy bytes of the forward record's kept windows (one per database)."""
    from app.records.window import _KEPT

    return _array_bytes(dict(_KEPT), set())


def pymalloc_stats() -> dict[str, Any]:
    """What Python's small-object allocator holds (its arenas, their blocks in use and free, the
    arenas it ever took and gave back) and, for each block size, its pools and the blocks in
    use in them: `sys._debugmallocstats` writes to fd 2."""
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read()
    wanted = {
        "arenas_allocated": r"# arenas allocated total\s+=\s+([\d,]+)",
        "arenas_reclaimed": r"# arenas reclaimed\s+=\s+([\d,]+)",
        "arena_bytes": r"\d+ arenas \* \d+ bytes/arena\s+=\s+([\d,]+)",
        "allocated_blocks": r"# bytes in allocated blocks\s+=\s+([\d,]+)",
        "available_blocks": r"# bytes in available blocks\s+=\s+([\d,]+)",
        "unused_pools": r"\d+ unused pools \* \d+ bytes\s+=\s+([\d,]+)",
        "total": r"^Total\s+=\s+([\d,]+)",
    }
    stats: dict[str, Any] = {}
    for name, pattern in wanted.items():
        match = re.search(pattern, text, re.MULTILINE)
        stats[name] = int(match.group(1).replace(",", "")) if match else -1
    # Its size-class table: class, block size, pools, blocks in use, blocks free in those pools.
    stats["pools_by_size"] = {
        int(size): [int(pools), int(used)]
        for size, pools, used in re.findall(
            r"^\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+$", text, re.MULTILINE
        )
    }
    return stats


class Collections:
    """What the garbage collector did, by generation: how often, for how long at most and in
    all, and how many objects it freed (cyclic garbage); the SQLAlchemy engines' compiled
    statement caches, whose evictions are garbage in the oldest generation; and the statements
    each pooled asyncpg connection keeps prepared (SQLAlchemy's cache of them, a connection's
    own: a statement is prepared again on every connection that runs it), and how many
    connections the pool has opened so far (an overflow connection is closed when it comes back)."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self.longest = [0.0, 0.0, 0.0]
        self.collected = [0, 0, 0]
        self.started = 0.0
        self.engines: weakref.WeakSet[Engine] = weakref.WeakSet()
        self.connections: dict[int, object] = {}  # the pool's, open (their slots take no weakref)
        self.opened_so_far = 0

    def observe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        generation, took = info["generation"], time.perf_counter() - self.started
        self.count[generation] += 1
        self.seconds[generation] += took
        self.longest[generation] = max(self.longest[generation], took)
        self.collected[generation] += info["collected"]

    def connected(self, connection: object) -> None:
        self.engines.add(connection.engine)  # type: ignore[attr-defined]

    def opened(self, dbapi_connection: object, _record: object) -> None:
        self.connections[id(dbapi_connection)] = dbapi_connection
        self.opened_so_far += 1

    def closed(self, dbapi_connection: object, *_record: object) -> None:
        self.connections.pop(id(dbapi_connection), None)

    def line(self) -> dict[str, object]:
        caches = [engine._compiled_cache for engine in self.engines]
        prepared = [
            getattr(c, "_prepared_statement_cache", None) for c in list(self.connections.values())
        ]
        return {
            "count": list(self.count),
            "ms": [round(s * 1000, 1) for s in self.seconds],
            "longest_ms": [round(s * 1000, 1) for s in self.longest],
            "collected": list(self.collected),
            "tracked": len(gc.get_objects(2)),
            "compiled_cached": [len(c) for c in caches if c is not None],
            "prepared": [len(c) for c in prepared if c is not None],
            "opened": self.opened_so_far,
        }


COLLECTIONS = Collections()


class Reporter:
    """Writes what a signal asked for, from a thread of its own."""

    def __init__(self, report: Path, trim: bool) -> None:
        self.report = report
        self.trim = trim
        self.baseline: tracemalloc.Snapshot | None = None
        self.wanted: list[bool] = []  # True: with a snapshot
        self.wake = threading.Event()

    def ask(self, signum: int, _frame: FrameType | None) -> None:
        self.wanted.append(signum == signal.SIGUSR2)
        self.wake.set()

    def run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            while self.wanted:
                self.write(with_snapshot=self.wanted.pop(0))

    def write(self, *, with_snapshot: bool) -> None:
        current, peak = tracemalloc.get_traced_memory()
        line: dict[str, object] = {
            "t": time.time(),
            "traced": current,
            "traced_peak": peak,
            "tracemalloc_overhead": tracemalloc.get_tracemalloc_memory(),
            "rss": resident(),
            "pymalloc": pymalloc_stats(),
            "native": native_heap(),
            "kept_window": kept_window_bytes(),
            "gc": COLLECTIONS.line(),
        }
        if self.trim:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
            line["rss_after_trim"] = resident()
        if with_snapshot and tracemalloc.is_tracing():
            snapshot = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            if self.baseline is None:
                self.baseline = snapshot
                line["baseline"] = True
            else:
                stats = snapshot.compare_to(self.baseline, "traceback")
                line["growers"] = [
                    {
                        "size_diff": stat.size_diff,
                        "count_diff": stat.count_diff,
                        "size": stat.size,
                        "where": [f"{f.filename}:{f.lineno}" for f in stat.traceback],
                    }
                    for stat in stats[:TOP]
                ]
        with self.report.open("a") as out:
            out.write(json.dumps(line) + "\n")


def main() -> None:
    port, report, frames = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    trim = sys.argv[4:] == ["trim"]
    if frames:
        tracemalloc.start(frames)
    gc.callbacks.append(COLLECTIONS.observe)
    event.listen(Engine, "engine_connect", COLLECTIONS.connected)
    event.listen(Pool, "connect", COLLECTIONS.opened)
    for closing in ("close", "close_detached"):
        event.listen(Pool, closing, COLLECTIONS.closed)
    reporter = Reporter(report, trim)
    threading.Thread(target=reporter.run, name="soak-reporter", daemon=True).start()
    signal.signal(signal.SIGUSR1, reporter.ask)
    signal.signal(signal.SIGUSR2, reporter.ask)
    uvicorn.run(
        "app.main:app",
        host="127.0.0.1",
        port=port,
        workers=1,
        limit_concurrency=1024,
        http=PROTOCOL,  # the request head bounded, as the image runs it
        access_log=False,  # the app writes its own access log (MYSYMBOLS_LOG_LEVEL=INFO)
        log_level="warning",
    )


if __name__ == "__main__":
    main()
