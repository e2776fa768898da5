"""Benchmark: the scoring core on 500 symbols x 500 candles, next to a plain TA-Lib loop; and
`/health` latency while a scoring run is in flight vs idle.

`python -m tests.bench.bench_scoring [--symbols 500 --candles 500 --repeat 15]`
Numbers only, no assertions. Goals: core <= 2x the TA-Lib loop and <= 50 ms (issue 4);
`/health` p99 during a 150-symbol run < 1.5x idle (issue 15).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import talib

from app.platform.db.migrations import upgrade_to_head
from app.portfolio.maths.correlation import pairwise_correlation
from app.scoring.scorers.composite import ScoringConfig, compute, explain
from app.scoring.scorers.indicators import log_returns
from app.scoring.scorers.market_inputs import MarketInputs
from tests.bench.harness import HEADERS, KEY
from tests.deployed import process, service_env, simulator, uvicorn, wait_for
from tests.sim_fixtures import free_port

WEIGHTS = {"technical": 0.30, "fundamental": 0.25, "market_structure": 0.25, "risk": 0.20}


def synthetic_universe(n: int, t: int, seed: int = 11) -> MarketInputs:
    """Seeded random-walk universe with books and funding: realistic shapes, no I/O."""
    rng = np.random.default_rng(seed)
    common = rng.normal(0, 0.006, t)
    close = 100 * np.exp(np.cumsum(common + rng.normal(0, 0.01, (n, t)), axis=1))
    spread = rng.uniform(0.001, 0.004, (n, t))
    high, low = close * (1 + spread), close * (1 - spread)
    levels = np.arange(1, 21)
    bid, ask = close[:, -1] * 0.9999, close[:, -1] * 1.0001
    return MarketInputs(
        symbols=["BTCUSDT"] + [f"S{i:03d}USDT" for i in range(1, n)],
        open=np.roll(close, 1, axis=1),
        high=high,
        low=low,
        close=close,
        volume=rng.lognormal(3, 1, (n, t)),
        is_open=np.ones(n, dtype=bool),
        turnover_24h=10 ** rng.uniform(5, 9.5, n),
        open_interest_usdt=10 ** rng.uniform(5, 9.5, n),
        previous_open_interest_usdt=10 ** rng.uniform(5, 9.5, n),
        funding_rate=rng.normal(1e-4, 2e-4, n),
        funding_interval_h=np.full(n, 8.0),
        funding_history=rng.normal(1e-4, 2e-4, (n, 42)),
        bid=bid,
        ask=ask,
        ticker_age_s=np.zeros(n),
        bid_levels=np.stack([bid[:, None] * (1 - levels * 4e-4), rng.uniform(1, 80, (n, 20))], -1),
        ask_levels=np.stack([ask[:, None] * (1 + levels * 4e-4), rng.uniform(1, 80, (n, 20))], -1),
    )


def talib_loop(inputs: MarketInputs) -> None:
    """The same per-symbol indicators as the technical component, plain TA-Lib, one by one."""
    for i in range(inputs.size):
        close = np.ascontiguousarray(inputs.close[i])
        talib.RSI(close, 14)
        talib.MACD(close, 12, 26, 9)
        talib.BBANDS(close, 20, 2.0, 2.0)
        talib.EMA(close, 50)


def core(inputs: MarketInputs) -> None:
    """All components (gate, metrics, percentiles, composite) and the correlation matrix.

    A fresh copy each time: `MarketInputs` caches its returns, a repeat must not reuse them.
    """
    fresh = dataclasses.replace(inputs)
    compute(fresh, ScoringConfig(WEIGHTS, {}))
    pairwise_correlation(fresh.returns)


def median_ms(fn: Callable[[], None], repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


async def health_latency(
    symbols: int, probes: int, quota: int | None, runs: int
) -> tuple[list[float], list[float], float]:
    """`/health` round trips (ms) idle, then while `POST /scoring/calculate` runs (with KuCoin's
    quota, or a larger one so the run is not waiting on the rate limit, only working).

    As deployed: the service is one uvicorn process pinned to core 0; the simulator and this
    prober run in processes of their own on core 1."""
    directory = Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    url = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
    await asyncio.to_thread(upgrade_to_head, url)
    sim_port, app_port = free_port(), free_port()
    limits = {} if quota is None else {"MYSYMBOLS_KUCOIN__QUOTA": str(quota)}
    env = service_env(url, sim_port, KEY, **limits)
    sim = simulator(sim_port, str(symbols), quota)
    app = f"http://127.0.0.1:{app_port}"
    with process(sim, env, "1"), process(uvicorn("app.main:app", app_port), env, "0"):
        wait_for(f"http://127.0.0.1:{sim_port}/api/v1/timestamp")
        wait_for(f"{app}/api/symbol-mgmt/health")
        async with httpx.AsyncClient(base_url=app, timeout=120) as client:
            headers = HEADERS
            calculate = "/api/symbol-mgmt/scoring/calculate"
            first = await client.post(calculate, params={"wait": 60}, headers=headers)
            first.raise_for_status()
            idle = []
            for _ in range(probes):
                idle.append(await _health(client))
                await asyncio.sleep(0.002)
            busy: list[float] = []
            run_s = 0.0
            for _ in range(runs):  # one caller waits on each run; no polling
                run = asyncio.create_task(
                    client.post(calculate, params={"wait": 60}, headers=headers)
                )
                started = time.perf_counter()
                while not run.done():
                    busy.append(await _health(client))
                    await asyncio.sleep(0.002)
                run_s += time.perf_counter() - started
                (await run).raise_for_status()
    return idle, busy, run_s


async def _health(client: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    (await client.get("/api/symbol-mgmt/health")).raise_for_status()
    return (time.perf_counter() - started) * 1000


def p99(values: list[float]) -> float:
    return float(np.percentile(values, 99)) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--symbols", type=int, default=500)
    parser.add_argument("--candles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--health-symbols", type=int, default=150)
    parser.add_argument("--health-probes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3, help="scoring runs probed")
    parser.add_argument(
        "--quota",
        type=int,
        default=None,
        help="simulator weight quota per 30 s (default: KuCoin's 2000); a large one times the "
        "run's work alone",
    )
    args = parser.parse_args()

    inputs = synthetic_universe(args.symbols, args.candles)
    loop_med, loop_min = median_ms(lambda: talib_loop(inputs), args.repeat)
    core_med, core_min = median_ms(lambda: core(inputs), args.repeat)
    corr_med, _ = median_ms(lambda: pairwise_correlation(log_returns(inputs.close)), args.repeat)
    table = compute(dataclasses.replace(inputs), ScoringConfig(WEIGHTS, {}))
    explain_med, explain_min = median_ms(lambda: explain(table), args.repeat)
    print(f"scoring core, {args.symbols} symbols x {args.candles} candles, median of {args.repeat}")
    print(f"{'':36}{'median ms':>12}{'min ms':>10}")
    print(f"{'plain TA-Lib loop (RSI,MACD,BB,EMA)':36}{loop_med:12.1f}{loop_min:10.1f}")
    print(f"{'all components + 500x500 corr':36}{core_med:12.1f}{core_min:10.1f}")
    print(f"{'  of which correlation matrix':36}{corr_med:12.1f}")
    print(f"{'breakdowns for every symbol':36}{explain_med:12.1f}{explain_min:10.1f}")
    print(
        f"ratio core / TA-Lib loop: {core_med / loop_med:.2f}x (goal <= 2x); "
        f"core {core_med:.1f} ms (goal <= 50 ms)"
    )

    idle, busy, run_s = asyncio.run(
        health_latency(args.health_symbols, args.health_probes, args.quota, args.runs)
    )
    print(
        f"\n/health during {args.runs} scoring runs of {args.health_symbols} simulated "
        f"contracts ({run_s:.1f} s in all, {len(busy)} probes) vs idle "
        f"({len(idle)} probes)"
    )
    print(f"{'':12}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, values in (("idle", idle), ("in flight", busy)):
        print(f"{name:12}{statistics.median(values):10.2f}{p99(values):10.2f}{max(values):10.2f}")
    print(f"p99 ratio in flight / idle: {p99(busy) / p99(idle):.2f}x (goal < 1.5x)")


if __name__ == "__main__":
    main()
