"""Benchmark: the KuCoin weight a scoring run spends, its wall time, and two replicas at once.

`python -m tests.bench.bench_scoring_budget` (options: `--help`; see tests/bench/README.md).
Against the loopback simulator (its recorded 406-contract universe, KuCoin's quota of 2 000
weight per 30 s, 50 ms latency, its clock on real time) and the app's own stack:

1. `shortlist-150`: a first scoring run and three steady-state runs, each `--gap-s` after the
   previous one ends (default one window, so each starts with the pool empty as a scheduled run
   15 minutes later would; `--gap-s 0`: back to back), on SQLite; `shortlist-150-only`: the
   same with the rotation through the rest of the universe off (`scoring_rotation`);
2. `universe`: the same with `scoring_shortlist` covering every eligible contract;
3. `scheduled-150` (on demand): as `shortlist-150`, but the simulator's clock moves on to the
   next point of a 15-minute grid (the scheduler's interval; its ticks do not drift) before each
   run, for `--hours` (default 1.5): candles and funding
   come due; each run also shows what its plan left for later and how many scored contracts
   went more than an hour unscored (`stale>1h`);
   `scheduled-150-only`: the same with the rotation off;
4. `replicas`: two replicas of one deployment (one PostgreSQL database, each its own gateway
   built by the app's factory) calling KuCoin at the same moment: one runs a scoring run (150
   shortlisted), the other refreshes the 15-minute candles of every eligible contract. HTTP 429s
   counted.

Weight is what the simulator charged (deterministic for a given universe and clock hour); per
replica, what its client sent and was not refused. The floor is `max(0, W - Q) / (Q / T)` of the
run's own weight; the windowed floor `(ceil(W / Q) - 1) * T` (no request goes out before the
window that must hold it opens). Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.kucoin.factory import create_gateway, create_http_session
from app.kucoin.gateway import KucoinGateway
from app.market.candles import CandleService
from app.market.models import Symbol
from app.market.service import UniverseService
from app.platform.core.environment import Environment
from app.platform.core.environment_sections import KucoinEnvironment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.db.migrations import upgrade_to_head
from app.platform.db.models.system_configuration import SystemConfiguration
from app.portfolio.holdings import PortfolioHoldings
from app.scoring.repository import ScoringRepository
from app.scoring.scoring_run import ScoringRunService
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.kucoin_sim.app import KucoinSimulator, RequestRecord
from tests.sim_fixtures import live_clock_ms

CASES = (
    "shortlist-150",
    "shortlist-150-only",
    "universe",
    "replicas",
    "scheduled-150",
    "scheduled-150-only",
)
SCHEDULE_S = 900  # score_refresh_interval_s
HOUR = timedelta(hours=1)


@dataclass
class Measured:
    label: str
    wall_s: float
    records: list[RequestRecord]
    scored: int | None = None
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def weight(self) -> int:
        return sum(r.weight for r in self.records)

    @property
    def rate_limited(self) -> int:
        return sum(1 for r in self.records if r.status == 429)

    def by_endpoint(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for r in self.records:
            out[endpoint_of(r.path)] += r.weight
        return out


WEIGHTS = {"contracts": 3, "book": 5, "book_snapshot": 3, "funding_history": 5, "klines": 3}


def endpoint_of(path: str) -> str:
    for prefix, name in (
        ("/api/v1/contracts", "contracts"),
        ("/api/v1/level2/snapshot", "book_snapshot"),
        ("/api/v1/level2", "book"),
        ("/api/v1/contract/funding-rates", "funding_history"),
        ("/api/v1/kline", "klines"),
    ):
        if path.startswith(prefix):
            return name
    return path


def floor_s(weight: int, quota: int, window_s: float) -> float:
    return max(0, weight - quota) / (quota / window_s)


def windowed_floor_s(weight: int, quota: int, window_s: float) -> float:
    """No request goes out before the window that must hold it opens."""
    return max(math.ceil(weight / quota) - 1, 0) * window_s


def make_environment(database_url: str, sim_url: str) -> Environment:
    return Environment(database_url=database_url, kucoin=KucoinEnvironment(futures_url=sim_url))


@asynccontextmanager
async def replica(
    environment: Environment, engine: AsyncEngine
) -> AsyncIterator[tuple[KucoinGateway, async_sessionmaker[AsyncSession]]]:
    """One replica's exchange stack (as `app.main` builds it: with the shared window where the
    version has one) and its sessions."""
    http = create_http_session(environment.kucoin)
    try:
        try:
            from app.platform.db.rate_budget import shared_window
        except ImportError:  # before issue 19: each replica's own limiter
            gateway = create_gateway(environment.kucoin, http)
        else:
            shared = shared_window(environment, engine, f"bench-{id(http):x}")
            gateway = create_gateway(environment.kucoin, http, shared=shared)
        yield gateway, create_sessionmaker(engine)
    finally:
        await http.close()


async def configure(sessions: async_sessionmaker[AsyncSession], **values: object) -> None:
    """Set runtime settings (stored as an operator's change would be)."""
    async with sessions() as session:
        for key, value in values.items():
            await session.merge(SystemConfiguration(key=key, value=value, updated_by="bench"))
        await session.commit()


class SendLog:
    """What one replica's client sent and how KuCoin answered (its `_interpret`, wrapped)."""

    def __init__(self, gateway: KucoinGateway) -> None:
        self.sent: list[tuple[str, int]] = []
        client = gateway.client
        inner = client.interpret

        def interpret(path: str, status: int, headers: Any, body: bytes) -> Any:
            self.sent.append((path, status))
            return inner(path, status, headers, body)

        client.interpret = interpret  # type: ignore[method-assign]

    def as_records(self) -> list[RequestRecord]:
        return [
            RequestRecord(
                "GET", path, {}, 0 if status == 429 else WEIGHTS[endpoint_of(path)], status, 0.0
            )
            for path, status in self.sent
        ]


async def score_once(
    sim: KucoinSimulator,
    gateway: KucoinGateway,
    sessions: async_sessionmaker[AsyncSession],
    label: str,
    *,
    sim_time: bool = False,
) -> Measured:
    """One run (at the simulator's time with `sim_time`, for a clock that moves faster)."""
    mark = len(sim.requests)
    started = time.monotonic()
    now = datetime.fromtimestamp(sim.clock.now(), tz=UTC) if sim_time else None
    async with sessions() as session:
        run = await ScoringRunService(
            session, gateway, asyncio.Lock(), PortfolioHoldings()
        ).calculate(triggered_by="bench", now=now)
        await session.commit()
        scored = run.scored_count
        wall = time.monotonic() - started
        notes = coverage(run.spend or {})
        since = run.started_at - timedelta(days=1)
        last = await ScoringRepository(session).last_scored_at(since)
        notes["stale>1h"] = sum(1 for at in last.values() if at < run.started_at - HOUR)
    return Measured(label, wall, sim.requests[mark:], scored, notes)


def coverage(spend: dict[str, Any]) -> dict[str, object]:
    """What the run's plan left for later (versions since the weight budget)."""
    planned = spend.get("planned", {})
    return {
        "rotated": len(planned.get("rotation", [])),
        "behind": planned.get("rotation_behind", "-"),
        "funding deferred": len(planned.get("deferred_funding", [])),
    }


async def eligible_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        rows = (await session.scalars(select(Symbol).where(Symbol.is_eligible))).all()
    return len(rows)


async def bench_runs(args: argparse.Namespace, case: str, runs: int) -> list[Measured]:
    """A fresh simulator and SQLite file: a first run, then `runs - 1` back to back."""
    sim = KucoinSimulator(
        universe="recorded",
        latency_ms=args.latency_ms,
        quota=args.quota,
        quota_window_s=args.window_s,
        start_time_ms=live_clock_ms(),
    )
    await sim.start()
    with tempfile.TemporaryDirectory() as tmp:
        url = sqlite_url(Path(tmp))
        await asyncio.to_thread(upgrade_to_head, url)
        environment = make_environment(url, sim.base_url)
        engine = create_engine(environment)
        try:
            async with replica(environment, engine) as (gateway, sessions):
                async with sessions() as session:
                    await UniverseService(session, gateway).sync(PortfolioHoldings())
                    await session.commit()
                if case == "universe":
                    await configure(sessions, scoring_shortlist=await eligible_count(sessions) + 20)
                else:
                    await configure(
                        sessions, scoring_shortlist=150, scoring_rotation=not case.endswith("-only")
                    )
                await asyncio.sleep(args.window_s)  # the sync's weight leaves the window
                out = []
                scheduled = case.startswith("scheduled")
                scheduled_runs = 1 + round(args.hours * 3600 / SCHEDULE_S)
                start = sim.clock.now()
                for i in range(scheduled_runs if scheduled else runs):
                    label = "first" if i == 0 else f"steady {i}"
                    if i:
                        await asyncio.sleep(args.gap_s)
                    if i and scheduled:  # on the scheduler's grid, on the simulator's clock
                        sim.clock.advance(start + i * SCHEDULE_S - sim.clock.now())
                        label = f"+{i * SCHEDULE_S // 60} min"
                    print(f"  {case}: {label} ...", flush=True)
                    out.append(await score_once(sim, gateway, sessions, label, sim_time=scheduled))
                return out
        finally:
            await engine.dispose()
            await sim.stop()


async def bench_replicas(args: argparse.Namespace) -> list[Measured]:
    """Two replicas on one PostgreSQL database call KuCoin at the same moment."""
    sim = KucoinSimulator(
        universe="recorded",
        latency_ms=args.latency_ms,
        quota=args.quota,
        quota_window_s=args.window_s,
        start_time_ms=live_clock_ms(),
    )
    await sim.start()
    url = await create_postgres_database("mysymbols_bench_budget")
    try:
        await asyncio.to_thread(upgrade_to_head, url)
        environment = make_environment(url, sim.base_url)
        engine_a, engine_b = create_engine(environment), create_engine(environment)
        try:
            async with (
                replica(environment, engine_a) as (gw_a, sessions_a),
                replica(environment, engine_b) as (gw_b, sessions_b),
            ):
                async with sessions_a() as session:
                    await UniverseService(session, gw_a).sync(PortfolioHoldings())
                    await session.commit()
                await gw_b.list_contracts()
                await configure(sessions_a, scoring_shortlist=150)
                await asyncio.sleep(args.window_s)
                log_a, log_b = SendLog(gw_a), SendLog(gw_b)
                mark = len(sim.requests)
                started = time.monotonic()
                score, candles = await asyncio.gather(
                    score_once(sim, gw_a, sessions_a, "replica A: scoring run"),
                    refresh_candles(gw_b, sessions_b),
                )
                wall = time.monotonic() - started
                return [
                    Measured(score.label, score.wall_s, log_a.as_records(), score.scored),
                    Measured("replica B: 15m candles", candles, log_b.as_records()),
                    Measured("both together (simulator)", wall, sim.requests[mark:]),
                ]
        finally:
            await engine_a.dispose()
            await engine_b.dispose()
    finally:
        await drop_postgres_database(url)
        await sim.stop()


async def refresh_candles(
    gateway: KucoinGateway, sessions: async_sessionmaker[AsyncSession]
) -> float:
    started = time.monotonic()
    async with sessions() as session:
        rows = (await session.scalars(select(Symbol).where(Symbol.is_eligible))).all()
        # 15-minute candles: other rows than the scoring run's hourly ones, so the two
        # transactions never wait on each other's inserts (only on KuCoin's budget).
        await CandleService(session, gateway).refresh(rows, granularity_min=15, lookback=500)
        await session.commit()
    return time.monotonic() - started


def render(title: str, rows: Sequence[Measured], args: argparse.Namespace) -> str:
    lines = [
        f"-- {title}",
        f"{'run':<28}{'weight':>8}{'wall s':>9}{'floor s':>9}{'windowed':>9}{'wall/wfl':>9}"
        f"{'429':>5}{'scored':>8}  weight by endpoint",
    ]
    for m in rows:
        floor = floor_s(m.weight, args.quota, args.window_s)
        windowed = windowed_floor_s(m.weight, args.quota, args.window_s)
        ratio = "-" if windowed <= 0 else f"{m.wall_s / windowed:.2f}"
        endpoints = " ".join(f"{k}={v}" for k, v in sorted(m.by_endpoint().items()))
        if m.notes:
            endpoints += "  [" + ", ".join(f"{k} {v}" for k, v in m.notes.items()) + "]"
        scored = "-" if m.scored is None else str(m.scored)
        lines.append(
            f"{m.label:<28}{m.weight:>8}{m.wall_s:>9.2f}{floor:>9.2f}{windowed:>9.2f}{ratio:>9}"
            f"{m.rate_limited:>5}{scored:>8}  {endpoints}"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.bench_scoring_budget",
        description="Weight and wall time of scoring runs; two replicas refreshing together.",
    )
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--quota", type=int, default=2000)
    parser.add_argument("--window-s", type=float, default=30.0)
    parser.add_argument(
        "--gap-s",
        type=float,
        default=30.0,
        help="pause between runs (default one window: each run starts with the pool empty)",
    )
    parser.add_argument("--runs", type=int, default=4, help="a first run and runs-1 steady ones")
    parser.add_argument(
        "--hours",
        type=float,
        default=1.5,
        help="scheduled cases: simulated hours of runs after the first (one per 15 minutes)",
    )
    parser.add_argument(
        "--cases",
        nargs="+",
        default=list(CASES),
        choices=CASES,
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> None:
    """Each case's table as soon as it is measured."""
    print(f"quota={args.quota}/{args.window_s:g} s latency={args.latency_ms:g} ms", flush=True)
    for case in args.cases:
        print(f"running {case} ...", flush=True)
        if case == "replicas":
            table = render("two replicas at once (PostgreSQL)", await bench_replicas(args), args)
        else:
            table = render(f"{case} (SQLite)", await bench_runs(args, case, args.runs), args)
        print(table, flush=True)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    started = time.monotonic()
    asyncio.run(run(args))
    print(f"(benchmark total {time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
