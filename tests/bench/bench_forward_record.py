"""Benchmark: the forward record's hourly update (issue 41: <= 250 ms median, <= 1 s worst, for
the policy, 10+ challengers, the as-run book and 5 baselines over 400 contracts, on PostgreSQL
and on SQLite).

`python -m tests.bench.bench_forward_record [--symbols 400] [--hours 48] [--sqlite]`

The market of `tests.bench.bench_track_record` (generated random walks, for timing only: no
figure here is evidence): `--symbols` contracts with 40 days of hourly candles. The as-run
record and the forward record (every registered challenger) are then moved forward one hour at
a time over the last `--hours` hours, each in its own committed transaction as the jobs run
them. Printed: the window's read at the start (as the scheduler's start makes it, off the hourly
update; `--cold`: not made, so the first update reads the window in full), the first update,
then the median and the worst hourly update (as-run + forward) of the hours without the
baselines' daily decision and of those with it, and the longest the event loop's thread was
held over the updates (`tests.bench.loop_stalls`: a request arriving then waits that long). No
KuCoin request is made: the shadow books read the stored history only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.platform.db.json_text import serialize
from app.platform.db.migrations import upgrade_to_head
from app.platform.runtime.collector import service_heap
from app.records.as_run_update import AsRunService
from app.records.forward_update import ForwardUpdater
from app.records.keeping.challengers import CHALLENGERS
from app.scoring.scorers import indicators
from tests.bench.bench_track_record import DAYS, fill
from tests.bench.loop_stalls import LoopStalls
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url

HOUR = timedelta(hours=1)


async def measure(url: str, inception: datetime, hours: int, cold: bool) -> None:
    engine = create_async_engine(url, json_serializer=serialize)  # as the service's engine
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    # Every registered challenger deciding from the inception on (registered before it).
    challengers = [replace(c, registered_at=inception) for c in CHALLENGERS]
    async with sessions() as session:  # the record starts at the inception hour
        await ForwardUpdater(session, challengers).update(inception - HOUR / 2)
        await session.commit()
    if not cold:  # as the scheduler's start does (`warm_forward`), before any hourly update
        started = time.perf_counter()
        await asyncio.to_thread(indicators.load)
        async with sessions() as session:
            await ForwardUpdater(session, challengers).warm()
        print(
            f"  window read at the start (off the hourly update): "
            f"{(time.perf_counter() - started) * 1e3:.0f} ms"
        )
    timed: dict[str, list[tuple[float, float]]] = {"hour": [], "hour at 00:00": []}
    first = None
    stalls = LoopStalls()
    async with stalls:
        for h in range(hours + 1):
            now = inception + h * HOUR
            started = time.perf_counter()
            async with sessions() as session:
                await AsRunService(session).update(now)
                await session.commit()
            as_run = time.perf_counter() - started
            async with sessions() as session:
                updated = await ForwardUpdater(session, challengers).update(now)
                await session.commit()
            forward = time.perf_counter() - started - as_run
            assert updated.hours == 1, updated
            if first is None:  # after a restart: the state read, the window too if `cold`
                first = (as_run, forward)
            else:
                timed["hour" if now.hour else "hour at 00:00"].append((as_run, forward))
    await engine.dispose()
    assert first is not None
    read = "window read in full" if cold else "window read at the start"
    print(
        f"  first update after start ({read}): as-run {first[0] * 1e3:.0f} ms, "
        f"forward {first[1] * 1e3:.0f} ms"
    )
    for label, times in timed.items():
        if not times:
            continue
        total = [a + f for a, f in times]
        print(
            f"  {label:<14} n {len(times):>3}  median {statistics.median(total) * 1e3:6.1f} ms "
            f"(as-run {statistics.median([a for a, _ in times]) * 1e3:5.1f}, forward "
            f"{statistics.median([f for _, f in times]) * 1e3:5.1f})  worst "
            f"{max(total) * 1e3:6.1f} ms"
        )
    print(f"  the event loop, over the updates: {stalls.summary()}")


async def analyze(url: str) -> None:
    """Table statistics, as a deployed database's autovacuum keeps them (without them the
    planner reads a bulk-filled table by the wrong index)."""
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--symbols", type=int, default=400)
    parser.add_argument("--hours", type=int, default=48)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--cold", action="store_true", help="no window read at the start")
    args = parser.parse_args()
    end = datetime(2025, 6, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder)) if args.sqlite else await create_postgres_database("bench")
        try:
            await asyncio.to_thread(upgrade_to_head, url)
            started = time.perf_counter()
            inception = await fill(url, args.symbols, end, args.hours)
            await analyze(url)
            backend = "sqlite" if args.sqlite else "postgresql"
            print(
                f"{backend}: {args.symbols} contracts x {DAYS} days, policy + "
                f"{len(CHALLENGERS)} challengers + as-run + 5 baselines, filled in "
                f"{time.perf_counter() - started:.1f} s"
            )
            async with service_heap():  # the collector as the service runs it
                await measure(url, inception, args.hours, args.cold)
        finally:
            if not args.sqlite:
                await drop_postgres_database(url)


if __name__ == "__main__":
    asyncio.run(main())
