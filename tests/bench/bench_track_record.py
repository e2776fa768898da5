"""Benchmark: the live as-run record's update cost per hour (issue 27: <= 200 ms for 10 members
over 400 eligible contracts; the baselines it timed then are kept by `app.records.keeping.forward`
since 0027).

`python -m tests.bench.bench_track_record [--symbols 400] [--hours 72] [--sqlite]`

A throw-away database (PostgreSQL by default, `--sqlite` for a file) is migrated and given
`--symbols` generated contracts (random walks, for timing only: no figure here is evidence) with
40 days of hourly candles and funding every 8 hours, a scoring run finding them all eligible,
and a portfolio of 10 whose weights change once a day. The track record is then moved forward
one hour at a time over the last `--hours` hours, each update in its own committed transaction
(as the job runs it), with the garbage collector as the service sets it. Printed: the median
and the worst update of the hours without a decision and of the hours with one, and each
decision hour's.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.market.models import Candle, FundingSettlement, Symbol
from app.platform.db.migrations import upgrade_to_head
from app.platform.runtime.collector import service_heap
from app.portfolio.models import PortfolioHistory
from app.records.as_run_update import AsRunService
from app.scoring.models import ScoringRun, SymbolScore
from tests.bench.bench_timeline import symbol_row
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url

HOUR = timedelta(hours=1)
DAYS = 40
MEMBERS = 10


async def fill(url: str, symbols: int, end: datetime, hours: int) -> datetime:
    """The generated market, the scoring run and the daily decisions; the record's inception."""
    engine = create_async_engine(url)
    start = end - timedelta(days=DAYS)
    rng = np.random.default_rng(7)
    async with engine.begin() as connection:
        await connection.execute(insert(Symbol), [symbol_row(k) for k in range(symbols)])
        ids = dict((await connection.execute(select(Symbol.symbol, Symbol.id))).all())
        names = sorted(ids)
        steps = DAYS * 24
        paths = 10 * np.exp(np.cumsum(rng.normal(0, 0.01, (symbols, steps)), axis=1))
        rows: list[dict[str, Any]] = []
        for i, name in enumerate(names):
            for h in range(steps):
                c = float(paths[i, h])
                # Fetched once closed, as the live candle store does.
                rows.append(
                    {
                        "symbol_id": ids[name],
                        "granularity_min": 60,
                        "open_time": start + h * HOUR,
                        "open": c,
                        "high": c,
                        "low": c,
                        "close": c,
                        "volume": 1000.0,
                        "fetched_at": start + (h + 1) * HOUR,
                    }
                )
            if len(rows) > 20_000 or i == len(names) - 1:
                await connection.execute(insert(Candle), rows)
                rows = []
        settlements = [
            {
                "symbol_id": ids[name],
                "settled_at": start + h * HOUR,
                "rate": 0.0001,
                "fetched_at": start + h * HOUR,
            }
            for name in names
            for h in range(0, steps, 8)
        ]
        for k in range(0, len(settlements), 20_000):
            await connection.execute(insert(FundingSettlement), settlements[k : k + 20_000])
        run_id = (
            await connection.execute(
                insert(ScoringRun)
                .values(
                    status="completed",
                    data_source="bench",
                    universe_size=symbols,
                    scored_count=symbols,
                    started_at=start,
                    triggered_by="bench",
                )
                .returning(ScoringRun.id)
            )
        ).scalar_one()
        await connection.execute(
            insert(SymbolScore),
            [
                {
                    "run_id": run_id,
                    "symbol_id": ids[n],
                    "component": "composite",
                    "score": 50,
                    "confidence": 1,
                }
                for n in names
            ],
        )
        inception = end - hours * HOUR
        audit = []
        for day in range(hours // 24 + 1):
            held = names[day : day + MEMBERS]
            raw = rng.uniform(1, 2, MEMBERS)
            weights = [round(100 * w / raw.sum(), 4) for w in raw]
            portfolio = [
                {"symbol": s, "rank": r + 1, "weight": str(w)}
                for r, (s, w) in enumerate(zip(held, weights, strict=True))
            ]
            audit.append(
                {
                    "occurred_at": inception + day * 24 * HOUR,
                    "action": "rebalance",
                    "actor": "bench",
                    "details": {"portfolio": portfolio},
                }
            )
        await connection.execute(insert(PortfolioHistory), audit)
    await engine.dispose()
    return inception


async def measure(url: str, inception: datetime, hours: int) -> None:
    engine = create_async_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    plain: list[float] = []
    deciding: list[float] = []
    for h in range(hours + 1):
        started = time.perf_counter()
        async with sessions() as session:
            updated = await AsRunService(session).update(inception + h * HOUR)
            await session.commit()
        elapsed = time.perf_counter() - started
        if h:  # the first creates the record
            (deciding if updated.decisions else plain).append(elapsed)
    await engine.dispose()
    for label, times in (("hour without a decision", plain), ("hour with a decision", deciding)):
        if times:
            median, worst = statistics.median(times) * 1e3, max(times) * 1e3
            print(
                f"  {label:<24} n {len(times):>3}  median {median:7.1f} ms  worst {worst:7.1f} ms"
            )
    print(
        "  each hour with a decision, in order (ms): "
        + ", ".join(f"{t * 1e3:.0f}" for t in deciding)
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--symbols", type=int, default=400)
    parser.add_argument("--hours", type=int, default=72)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    end = datetime(2025, 6, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_url(Path(folder)) if args.sqlite else await create_postgres_database("bench")
        try:
            await asyncio.to_thread(upgrade_to_head, url)
            started = time.perf_counter()
            inception = await fill(url, args.symbols, end, args.hours)
            backend = "sqlite" if args.sqlite else "postgresql"
            print(
                f"{backend}: {args.symbols} contracts x {DAYS} days, {MEMBERS} members, "
                f"filled in {time.perf_counter() - started:.1f} s"
            )
            async with service_heap():  # the collector as the service runs it
                await measure(url, inception, args.hours)
        finally:
            if not args.sqlite:
                await drop_postgres_database(url)


if __name__ == "__main__":
    asyncio.run(main())
