"""Benchmark: full, then incremental, hourly-candle refresh against the loopback KuCoin simulator.

`python -m tests.bench.bench_market_refresh` (options: `--help`; see tests/bench/README.md).
Each scenario gets its own simulator (`--contracts` generated perpetuals, `--latency-ms`, a quota)
and its own freshly migrated database, and runs the app's real stack (factory-built gateway,
UniverseService, CandleService, AsyncSession) through three phases:

1. universe sync, committed;
2. full refresh of the eligible symbols with `lookback=--candles`, committed: wall time next to
   the rate-limit floor computed from the weight the simulator charged in this run;
3. the simulator clock moves one hour on, then the incremental refresh.

By default two scenarios run side by side: KuCoin's quota (2000 per 30 s), where 500 kline calls
of weight 3 fit in one window so the floor is ~0, and a tighter quota (300 per 5 s) under which
the same weight must wait for the pool, so wall/floor is meaningful (1500 is five whole windows
of 100 calls, so the floor and the window-quantised floor coincide at 20 s). Numbers only, no
assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.kucoin.client import KucoinFuturesClient
from app.kucoin.factory import create_gateway, create_http_session
from app.kucoin.gateway import KucoinGateway
from app.kucoin.ratelimit import WeightLimiter
from app.market.candles import CandleRefresh, CandleService
from app.market.models import Candle, Symbol
from app.market.service import UniverseService
from app.platform.core.environment import Environment
from app.platform.core.environment_sections import KucoinEnvironment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.db.migrations import upgrade_to_head
from app.portfolio.holdings import PortfolioHoldings
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.kucoin_sim.app import KucoinSimulator, RequestRecord

Row = tuple[str, str]

HOUR_MS = 3_600_000
GOAL_RATIO = 1.1
SPARE_HOURS = 48  # simulator history beyond the lookback


@dataclass(frozen=True)
class Scenario:
    name: str
    quota: int
    window_s: float


class Probe:
    """Times calls of chosen methods on single instances (instance attributes; app code as is)."""

    def __init__(self) -> None:
        self.spans: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def wrap(self, owner: object, name: str, label: str) -> None:
        inner: Callable[..., Any] = getattr(owner, name)
        spans = self.spans[label]

        async def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            try:
                return await inner(*args, **kwargs)
            finally:
                spans.append((start, time.monotonic()))

        setattr(owner, name, timed)

    def reset(self) -> None:
        for spans in self.spans.values():
            spans.clear()

    def durations(self, label: str) -> list[float]:
        return [end - start for start, end in self.spans[label]]


@dataclass
class Phase:
    """One refresh as measured from the outside (wall clock, simulator log, probe spans)."""

    wall_s: float
    refresh: CandleRefresh
    records: list[RequestRecord]
    http_s: list[float]
    acquire_s: list[float]
    fetch_end_s: float  # from phase start to the last get_candles return

    @property
    def weight(self) -> int:
        return sum(r.weight for r in self.records)  # refused (429) and faulted requests cost 0


@dataclass(frozen=True)
class Floors:
    floor: float
    naive: float
    windowed: float


@dataclass
class Report:
    scenario: Scenario
    contracts: int = 0
    eligible: int = 0
    symbols: int = 0
    sync_s: float = 0.0
    full: Phase | None = None
    incremental: Phase | None = None
    rows_in_db: int = 0
    parallelism: int = 0
    notes: list[str] = field(default_factory=list)


def floors(records: Sequence[RequestRecord], quota: int, window_s: float) -> Floors:
    """Lower bounds on the time to send the charged weight W through a pool of Q per T seconds.

    - floor: KuCoin's window is fixed (it starts at the first request after a reset), so a
      fresh window's whole quota can be spent at once; only the weight beyond it has to wait,
      at the sustained rate Q / T: max(0, W - Q) / (Q / T).
    - naive: every unit at the sustained rate, as if nothing could burst: W / (Q / T).
    - windowed: whole windows; the last request cannot go out before the window that has to
      hold it opens: (windows - 1) * T, with windows = ceil(W / Q), or, when every request
      weighs the same w, ceil(requests / floor(Q / w)) (a window holds whole requests only, so
      Q = 500 with w = 3 carries 498). Never below `floor`, equal to it when Q divides W and w
      divides Q.
    """
    charged = [r.weight for r in records if r.weight > 0]
    weight = sum(charged)
    rate = quota / window_s
    if len(set(charged)) == 1:
        windows = math.ceil(len(charged) / max(1, quota // charged[0]))
    else:
        windows = math.ceil(weight / quota)
    windowed = max(0, windows - 1) * window_s
    return Floors(max(0, weight - quota) / rate, weight / rate, windowed)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def sim_now(sim: KucoinSimulator) -> datetime:
    return datetime.fromtimestamp(sim.clock.now(), tz=UTC)


@asynccontextmanager
async def database(postgres: bool) -> AsyncIterator[str]:
    """A freshly migrated throw-away database: SQLite file in a temp dir, or PostgreSQL."""
    if postgres:
        url = await create_postgres_database("mysymbols_bench")
        try:
            await asyncio.to_thread(upgrade_to_head, url)
            yield url
        finally:
            await drop_postgres_database(url)
        return
    with tempfile.TemporaryDirectory(prefix="mysymbols-bench-") as tmp:
        url = sqlite_url(Path(tmp), "bench")
        await asyncio.to_thread(upgrade_to_head, url)
        yield url


def fresh_windows(
    sim: KucoinSimulator, client: KucoinFuturesClient, scenario: Scenario, probe: Probe
) -> None:
    """Start both pools empty, as they are an hour after the previous run, without sleeping.

    The simulator's fixed window restarts at the next request; the client gets a new limiter
    built exactly as app.kucoin.factory builds it (its sliding log would be empty by then).
    """
    sim.limiter.reset()
    client.limiter = WeightLimiter(scenario.quota, scenario.window_s)
    probe.wrap(client.limiter, "acquire", "acquire")


async def measure_refresh(
    sessions: async_sessionmaker[AsyncSession],
    gateway: KucoinGateway,
    sim: KucoinSimulator,
    probe: Probe,
    symbols: Sequence[Symbol],
    *,
    lookback: int,
    concurrency: int | None,
) -> Phase:
    probe.reset()
    mark = len(sim.requests)
    options: dict[str, int] = {} if concurrency is None else {"concurrency": concurrency}
    started = time.monotonic()
    async with sessions() as session:
        service = CandleService(session, gateway, **options)
        refresh = await service.refresh(
            symbols, granularity_min=60, lookback=lookback, now=sim_now(sim)
        )
        await session.commit()
    wall = time.monotonic() - started
    fetch_end = max((end for _, end in probe.spans["candles"]), default=started) - started
    return Phase(
        wall_s=wall,
        refresh=refresh,
        records=sim.requests[mark:],
        http_s=probe.durations("http"),
        acquire_s=probe.durations("acquire"),
        fetch_end_s=fetch_end,
    )


async def run_scenario(args: argparse.Namespace, scenario: Scenario) -> Report:
    report = Report(scenario)
    start_ms = int(time.time() * 1000) // HOUR_MS * HOUR_MS - HOUR_MS // 2  # half past an hour
    sim = KucoinSimulator(
        universe=args.contracts,
        seed=args.seed,
        candle_hours=args.candles + SPARE_HOURS,
        latency_ms=args.latency_ms,
        quota=scenario.quota,
        quota_window_s=scenario.window_s,
        start_time_ms=start_ms,
    )
    await sim.start()
    kucoin = KucoinEnvironment(
        futures_url=sim.base_url, quota=scenario.quota, quota_window_s=scenario.window_s
    )
    if args.max_connections is not None:
        kucoin = kucoin.model_copy(update={"max_connections": args.max_connections})
    concurrency = args.concurrency
    report.parallelism = min(
        kucoin.max_connections,
        concurrency if concurrency is not None else _default_concurrency(),
    )
    probe = Probe()
    try:
        async with database(args.postgres) as url, create_http_session(kucoin) as http:
            engine = create_engine(Environment(database_url=url))
            try:
                gateway = create_gateway(kucoin, http)
                probe.wrap(gateway.client, "_send_once", "http")
                probe.wrap(gateway, "get_candles", "candles")
                sessions = create_sessionmaker(engine)

                started = time.monotonic()
                async with sessions() as session:
                    synced = await UniverseService(session, gateway).sync(PortfolioHoldings())
                    await session.commit()
                report.sync_s = time.monotonic() - started
                report.contracts, report.eligible = synced.contracts, synced.eligible
                async with sessions() as session:
                    query = select(Symbol).where(Symbol.is_eligible).order_by(Symbol.id)
                    symbols = list((await session.scalars(query.limit(args.contracts))).all())
                report.symbols = len(symbols)

                fresh_windows(sim, gateway.client, scenario, probe)
                report.full = await measure_refresh(
                    sessions,
                    gateway,
                    sim,
                    probe,
                    symbols,
                    lookback=args.candles,
                    concurrency=concurrency,
                )

                sim.clock.advance(3600)
                fresh_windows(sim, gateway.client, scenario, probe)
                report.incremental = await measure_refresh(
                    sessions,
                    gateway,
                    sim,
                    probe,
                    symbols,
                    lookback=args.candles,
                    concurrency=concurrency,
                )

                async with sessions() as session:
                    counted = await session.scalar(select(func.count()).select_from(Candle))
                    report.rows_in_db = int(counted or 0)
            finally:
                await engine.dispose()
    finally:
        await sim.stop()
    return report


def _default_concurrency() -> int:
    default = CandleService.__init__.__kwdefaults__ or {}
    return int(default.get("concurrency", 32))


# ---- report ---------------------------------------------------------------------------------


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _ratio(wall: float, floor: float) -> str:
    return f"{wall / floor:.2f}x" if floor > 0 else "n/a (fits one window)"


def phase_rows(phase: Phase, report: Report, latency_ms: float) -> list[Row]:
    scenario, parallelism = report.scenario, report.parallelism
    floor, naive, windowed = astuple(floors(phase.records, scenario.quota, scenario.window_s))
    statuses = Counter(r.status for r in phase.records)
    latency_floor = math.ceil(len(phase.records) / max(parallelism, 1)) * latency_ms / 1000
    refresh = phase.refresh
    goal = "-" if floor <= 0 else ("yes" if phase.wall_s <= GOAL_RATIO * floor else "NO")
    return [
        ("wall (refresh + commit)", _s(phase.wall_s)),
        ("  fetch (to last kline reply)", _s(phase.fetch_end_s)),
        ("  parse + insert + commit", _s(phase.wall_s - phase.fetch_end_s)),
        ("requests (simulator)", str(len(phase.records))),
        ("  HTTP 429", str(statuses.get(429, 0))),
        ("  other non-200", str(sum(n for s, n in statuses.items() if s not in (200, 429)))),
        ("weight charged", str(phase.weight)),
        ("floor max(0,W-Q)/(Q/T)", _s(floor)),
        ("wall / floor", _ratio(phase.wall_s, floor)),
        (f"  <= {GOAL_RATIO}x floor", goal),
        ("windowed floor (windows-1)*T", _s(windowed)),
        ("wall / windowed floor", _ratio(phase.wall_s, windowed)),
        ("naive floor W/(Q/T)", _s(naive)),
        ("wall / naive floor", _ratio(phase.wall_s, naive)),
        (f"latency floor ceil(n/{parallelism})*lat", _s(latency_floor)),
        ("HTTP round trip p50 / p95", _ms_pair(phase.http_s)),
        ("limiter wait p50 / p95 / max", _wait_triple(phase.acquire_s)),
        ("rows fetched / inserted", f"{refresh.fetched} / {refresh.inserted}"),
        ("symbols failed / gaps", f"{len(refresh.failures)} / {refresh.gaps}"),
    ]


def _ms_pair(values: Sequence[float]) -> str:
    return f"{percentile(values, 0.5) * 1000:.0f} / {percentile(values, 0.95) * 1000:.0f} ms"


def _wait_triple(values: Sequence[float]) -> str:
    p50, p95, top = (percentile(values, q) for q in (0.5, 0.95, 1.0))
    return f"{p50:.2f} / {p95:.2f} / {top:.2f} s"


def report_sections(r: Report, args: argparse.Namespace) -> list[tuple[str, list[Row]]]:
    lat, par = args.latency_ms, r.parallelism
    setup = [
        ("database", "PostgreSQL" if args.postgres else "SQLite file"),
        ("contracts listed / eligible / used", f"{r.contracts} / {r.eligible} / {r.symbols}"),
        ("universe sync wall", _s(r.sync_s)),
        ("refresh parallelism", str(par)),
    ]
    return [
        ("setup", setup),
        (f"full refresh ({args.candles} x 1 h candles)", phase_rows(_need(r.full), r, lat)),
        ("incremental refresh (+1 h)", phase_rows(_need(r.incremental), r, lat)),
        ("end", [("candle rows in database", str(r.rows_in_db))]),
    ]


def render(reports: Sequence[Report], args: argparse.Namespace) -> str:
    """One column per scenario, one line per metric."""
    header = [
        f"{r.scenario.name}: Q={r.scenario.quota} / T={r.scenario.window_s:g} s" for r in reports
    ]
    tables = [report_sections(r, args) for r in reports]
    first = tables[0]
    width = max(len(label) for _, rows in first for label, _ in rows) + 2
    cols = [
        max(len(head), *(len(value) for _, rows in table for _, value in rows))
        for head, table in zip(header, tables, strict=True)
    ]
    total = width + sum(cols) + 3 * (len(cols) - 1)
    lines = [
        f"contracts={args.contracts} candles={args.candles} latency={args.latency_ms:g} ms",
        (" " * width + " | ".join(h.ljust(w) for h, w in zip(header, cols, strict=True))).rstrip(),
    ]
    for s, (title, rows) in enumerate(first):
        lines.append(f"-- {title} ".ljust(total, "-"))
        for k, (label, _) in enumerate(rows):
            values = [table[s][1][k][1] for table in tables]
            cells = " | ".join(v.ljust(w) for v, w in zip(values, cols, strict=True))
            lines.append((label.ljust(width) + cells).rstrip())
    return "\n".join(lines)


def _need(phase: Phase | None) -> Phase:
    if phase is None:
        raise RuntimeError("phase did not run")
    return phase


# ---- entry point ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.bench_market_refresh",
        description="Full and incremental candle refresh against the KuCoin simulator.",
    )
    parser.add_argument("--contracts", type=int, default=500, help="generated contracts (2..700)")
    parser.add_argument("--candles", type=int, default=500, help="hourly candles per symbol")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="simulator latency")
    parser.add_argument("--quota", type=int, default=2000, help="pool weight per window")
    parser.add_argument("--window-s", type=float, default=30.0, help="pool window seconds")
    parser.add_argument(
        "--tight-quota", type=int, default=300, help="second scenario's quota (binds)"
    )
    parser.add_argument("--tight-window-s", type=float, default=5.0)
    parser.add_argument("--no-tight", action="store_true", help="run only the first scenario")
    parser.add_argument("--concurrency", type=int, default=None, help="CandleService override")
    parser.add_argument("--max-connections", type=int, default=None, help="aiohttp pool size")
    parser.add_argument("--postgres", action="store_true", help="throw-away PostgreSQL database")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> list[Report]:
    scenarios = [Scenario("kucoin", args.quota, args.window_s)]
    if not args.no_tight:
        scenarios.append(Scenario("tight", args.tight_quota, args.tight_window_s))
    reports = []
    for scenario in scenarios:
        print(f"running scenario {scenario.name} ...", flush=True)
        reports.append(await run_scenario(args, scenario))
    return reports


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    started = time.monotonic()
    reports = asyncio.run(run(args))
    print(render(reports, args))
    print(f"(benchmark total {time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
