"""Benchmark: the live replacement evaluation reading a day of 15-minute scoring runs (the
hysteresis' 24 h: 97 runs), on PostgreSQL.

`python -m tests.bench.bench_replacement [--symbols 400] [--hours 24]`

A throw-away database holds `--symbols` scored symbols, 10 members and a run every 15 minutes
over `--hours`. Timed: `evaluate_portfolio_replacement` as the service runs it (the newest run's
composites in full, the older runs' only for the members and the outsiders the policy may look
at), beside reading every composite of every run (what a count of runs read before). Numbers
only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.platform.db.engine import create_sessionmaker
from app.platform.db.migrations import upgrade_to_head
from app.portfolio.replacement_advice import ReplacementAdviceService
from app.scoring.repository import ScoringRepository
from app.scoring.scorers.composite import COMPOSITE
from tests.bench.machine import describe
from tests.databases import create_postgres_database, drop_postgres_database
from tests.factories import make_member, make_symbol
from tests.helpers import set_config

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
REPEAT = 5


async def fill(url: str, symbols: int, hours: int) -> None:
    engine = create_async_engine(url)
    sessions = create_sessionmaker(engine)
    async with sessions() as session:
        rows = [await make_symbol(session, f"B{i:04d}") for i in range(symbols)]
        for rank, symbol in enumerate(rows[:10], start=1):
            await make_member(session, rank, symbol=symbol, included_at=NOW - timedelta(days=3))
        await set_config(session, "replacement_confirmation_hours", hours)
        await session.commit()
        runs = 4 * hours + 1
        await session.execute(
            text(
                "INSERT INTO scoring_run (status, started_at, universe_size, scored_count, "
                "excluded_count, exclusions, data_source, config) "
                "SELECT 'completed', CAST(:now AS timestamptz) - make_interval(mins => 15 * k), "
                ":n, :n, 0, '{}', 'bench', '{}' FROM generate_series(0, :runs - 1) AS k"
            ),
            {"now": NOW, "n": symbols, "runs": runs},
        )
        await session.execute(
            text(
                "INSERT INTO symbol_score (run_id, symbol_id, component, score, confidence, "
                "breakdown, created_at) SELECT r.id, s.id, 'composite', (s.id * 7 + r.id) % 100, "
                "0.8, '{}', r.started_at "
                "FROM scoring_run r CROSS JOIN symbol s"
            )
        )
        await session.commit()
    await engine.dispose()


async def measure(url: str) -> None:
    engine = create_async_engine(url)
    sessions = create_sessionmaker(engine)
    for label in (
        "evaluate_portfolio_replacement (as the service reads)",
        "every composite of every run",
    ):
        times = []
        for _ in range(REPEAT):
            async with sessions() as session:
                started = time.perf_counter()
                if label.startswith("every"):
                    scoring = ScoringRepository(session)
                    runs = await scoring.runs_spanning(timedelta(hours=24))
                    await scoring.component_scores([r.id for r in runs], COMPOSITE)
                else:
                    advice = ReplacementAdviceService(session)
                    report = await advice.evaluate_portfolio_replacement(NOW)
                times.append(time.perf_counter() - started)
        print(f"{label}: best {min(times) * 1000:.0f} ms of {REPEAT}")
    print(f"runs read: {len(report.run_ids)}")
    await engine.dispose()


async def main(symbols: int, hours: int) -> None:
    print(describe())
    url = await create_postgres_database("mysymbols_bench")
    try:
        await asyncio.to_thread(upgrade_to_head, url)
        await fill(url, symbols, hours)
        await measure(url)
    finally:
        await drop_postgres_database(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--symbols", type=int, default=400)
    parser.add_argument("--hours", type=int, default=24)
    args = parser.parse_args()
    asyncio.run(main(args.symbols, args.hours))
