"""Benchmark: a scoring run's high-water mark of Python memory in the service's own process,
and what holds it there. Python's allocator keeps an arena while one object in it lives, so
each new high of live objects can leave the service a little bigger for good: what a run holds
at once, besides what it keeps, is what to make small.

`python -m tests.bench.bench_run_peak [--runs 4] [--frames 6] [--top 8]`

The service runs in this process (its app, its lifespan, its worker processes as deployed)
against the loopback simulator's recorded universe and a fresh PostgreSQL database. Two runs
store the history first; then, for each measured run: tracemalloc's peak above the moment
before the run, the highest traced memory a thread sampling every 20 ms saw, and what the run
left traced once over. One run more, with snapshots, lists the places
holding the most at its sampled high-water, and those it left the most in, against the moment
before it. Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import threading
import time
import tracemalloc
from pathlib import Path

import httpx

from tests.bench.harness import KEY
from tests.bench.machine import describe
from tests.databases import create_postgres_database, drop_postgres_database
from tests.deployed import API, ROOT, UNTHROTTLED, process, service_env, simulator, wait_for
from tests.sim_fixtures import free_port

MB = 2**20
WARM_RUNS = 2  # the first stores the universe's history, the second what the first left out
SAMPLE_S = 0.02


class HighWater(threading.Thread):
    """Samples the traced memory while armed, and, when asked, snapshots each new high (by
    256 KiB or more): snapshots are traced memory too, so a measured run takes none."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.armed = threading.Event()
        self.high = 0
        self.snapshots = False
        self.snapshot: tracemalloc.Snapshot | None = None

    def arm(self, mark: int, *, snapshots: bool) -> None:
        self.high, self.snapshots, self.snapshot = mark, snapshots, None
        self.armed.set()

    def run(self) -> None:
        while True:
            self.armed.wait()
            traced, _ = tracemalloc.get_traced_memory()
            if traced > self.high + 256 * 1024:
                self.high = traced
                if self.snapshots:
                    self.snapshot = None  # the one before is not counted in the next
                    self.snapshot = tracemalloc.take_snapshot()
            time.sleep(SAMPLE_S)


def innermost_own_frame(trace: tracemalloc.Traceback) -> str:
    """The allocation's innermost frame in the service's code, else its innermost frame."""
    frames = list(reversed(trace))  # innermost first
    own = next((f for f in frames if f.filename.startswith(str(ROOT / "app"))), None)
    if own is not None:
        return f"{Path(own.filename).relative_to(ROOT)}:{own.lineno}"
    inner = Path(frames[0].filename)
    return f"{inner.parent.name}/{inner.name}:{frames[0].lineno}"


def print_top(stats: list[tracemalloc.StatisticDiff], top: int) -> None:
    for stat in stats[:top]:
        print(
            f"  {stat.size_diff / MB:+7.2f} MB {stat.count_diff:+8d} blocks  "
            f"{innermost_own_frame(stat.traceback)}"
        )


async def calculate(api: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    response = await api.post(
        f"{API}/scoring/calculate", params={"wait": 60}, headers={"X-API-Key": KEY}, timeout=300
    )
    assert response.status_code == 200, response.text
    return time.perf_counter() - started


async def measure(args: argparse.Namespace) -> None:
    # The app reads its environment from the variables set below, at import.
    from app.main import create_app
    from app.platform.core.environment import Environment
    from tests.conftest import start_app

    async for api in start_app(create_app(Environment())):
        synced = await api.post(
            f"{API}/symbols/sync", params={"wait": 60}, headers={"X-API-Key": KEY}, timeout=300
        )
        assert synced.status_code == 200, synced.text
        for _ in range(WARM_RUNS):
            await calculate(api)
        tracemalloc.start(args.frames)
        sampler = HighWater()
        sampler.start()
        print(f"{'run':>4}{'seconds':>9}{'peak MB':>9}{'sampled MB':>12}{'kept MB':>9}")
        for run in range(1, args.runs + 1):
            gc.collect()
            mark, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            sampler.arm(mark, snapshots=False)
            seconds = await calculate(api)
            sampler.armed.clear()
            gc.collect()
            after, peak = tracemalloc.get_traced_memory()
            print(
                f"{run:4d}{seconds:9.1f}{(peak - mark) / MB:9.2f}"
                f"{(sampler.high - mark) / MB:12.2f}{(after - mark) / MB:9.2f}",
                flush=True,
            )
        # One run more, with snapshots, for what holds the memory (its figures are not shown:
        # the snapshots are traced memory too).
        gc.collect()
        before = tracemalloc.take_snapshot()
        sampler.arm(tracemalloc.get_traced_memory()[0], snapshots=True)
        await calculate(api)
        sampler.armed.clear()
        if sampler.snapshot is not None:
            print("\nat one run's sampled high-water, against the moment before it:")
            print_top(sampler.snapshot.compare_to(before, "traceback"), args.top)
        sampler.snapshot = None
        gc.collect()
        print("\nleft once it was over, against the moment before it:")
        print_top(tracemalloc.take_snapshot().compare_to(before, "traceback"), args.top)
        tracemalloc.stop()
        break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--frames", type=int, default=6, help="tracemalloc depth")
    parser.add_argument("--top", type=int, default=8, help="places listed at the high-water")
    parser.add_argument("--universe", default="recorded")
    args = parser.parse_args()
    print(describe(), flush=True)
    database = asyncio.run(create_postgres_database("mysymbols_bench"))
    sim_port = free_port()
    env = service_env(database, sim_port, KEY, **UNTHROTTLED)
    try:
        with process(simulator(sim_port, args.universe), env, None):
            wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
            os.environ.update(env)
            from app.platform.db.migrations import upgrade_to_head

            upgrade_to_head(database)
            print(f"PostgreSQL, universe {args.universe}, {WARM_RUNS} runs first, then:")
            asyncio.run(measure(args))
    finally:
        asyncio.run(drop_postgres_database(database))


if __name__ == "__main__":  # the worker processes import this module again (spawn)
    main()
