"""Benchmark: `python -m app.cli replay`'s engine (`app.lab.replay.replaying.replay`) on the
shared year and on generated walks, with the share of the time spent in the scoring core.

`python -m tests.bench.bench_replay [--cases year-24h year-1h gen-1h universe-1h] [--tracemalloc]`
Cases: the 32-symbol shared year (roshan7869-algotrading, read in place) at 24 h and at 1 h
decisions; 200 generated symbols x 90 days of decisions at 1 h (after a 30-day warm-up); 400
generated symbols x 365 days at 1 h (the whole KuCoin universe for a year: what a deployment
replays). Each case runs in a fresh process, so its peak RSS is its own. Numbers only, no
assertions. Goals: <= 10 s for the year at 24 h, <= 60 s for 200 x 90 days at 1 h and for 400 x
365 days at 1 h (<= 1 GB peak RSS), scoring core >= 70 % of the time.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import multiprocessing
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import numpy as np

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.csv_source import load_csv_folder
from app.platform.core.units import HOUR_MS
from app.scoring.scorers import composite
from tests.bench.machine import describe
from tests.replay_data import random_walks
from tests.shared_data import MARKET_DATA

DAY_MS = 24 * HOUR_MS
WARM_UP_DAYS = 30  # the momentum baseline's lookback, as the CLI's default range
GOALS = {"year-24h": 10.0, "gen-1h": 60.0, "universe-1h": 60.0}
SHARE_GOAL = 0.70


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    every_h: int
    generated: tuple[int, int] | None = None  # (symbols, days of decisions)


CASES = {
    c.name: c
    for c in (
        Case("year-24h", "shared year (32 symbols) @24h", 24),
        Case("year-1h", "shared year (32 symbols) @1h", 1),
        Case("gen-1h", "generated 200 x 90 days @1h", 1, generated=(200, 90)),
        Case("universe-1h", "generated 400 x 365 days @1h", 1, generated=(400, 365)),
    )
}


@dataclass(frozen=True)
class Result:
    case: str
    symbols: int
    decisions: int
    load_s: float
    replay_s: float
    scoring_s: float
    scoring_calls: int
    peak_rss_mb: float
    heap_peak_mb: float | None  # tracemalloc's peak during the replay, when asked


def history_and_range(case: Case) -> tuple[MarketHistory, int, int]:
    """The case's history and its decision range (whole days after the warm-up)."""
    if case.generated is None:
        folder = MARKET_DATA / "roshan7869-algotrading"
        if not folder.is_dir():
            raise SystemExit(f"{folder} is absent (../shared/market-data is read in place)")
        history = load_csv_folder(folder)
        # As the CLI's default range: to the median of the symbols' last closes.
        end = int(np.median(history.last_close_ms_each())) // HOUR_MS * HOUR_MS
    else:
        symbols, days = case.generated
        history = random_walks(symbols, (WARM_UP_DAYS + days + 2) * 24)
        end = history.last_close_ms()
    start = math.ceil((history.first_close_ms() + WARM_UP_DAYS * DAY_MS) / DAY_MS) * DAY_MS
    if case.generated is not None:
        end = start + case.generated[1] * DAY_MS
    return history, start, end


def timed_compute(totals: list[float]) -> Callable[..., composite.ScoreTable]:
    """`composite.compute` that adds its wall time and call count to `totals`."""
    original = composite.compute

    @wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> composite.ScoreTable:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[0] += time.perf_counter() - started
            totals[1] += 1

    return wrapper


def run_case(name: str, heap: bool) -> Result:
    """One case in this process: load, then replay with `compute` timed wherever replay
    modules imported it."""
    from app.lab.replay.replaying import (
        replay,  # imported here: the replay modules are patched below
    )

    case = CASES[name]
    started = time.perf_counter()
    history, start, end = history_and_range(case)
    load_s = time.perf_counter() - started
    policy = policy_config(default_run_config(), DEFAULTS)
    params = ReplayParams(start_ms=start, end_ms=end, every_h=case.every_h)
    totals = [0.0, 0]
    wrapper = timed_compute(totals)
    for module in list(sys.modules.values()):
        if module.__name__.startswith("app.lab.replay") and getattr(module, "compute", None) is (
            composite.compute
        ):
            module.compute = wrapper  # type: ignore[attr-defined]
    if heap:
        tracemalloc.start()
    started = time.perf_counter()
    document = replay(history, policy, params)
    replay_s = time.perf_counter() - started
    heap_peak = tracemalloc.get_traced_memory()[1] / 2**20 if heap else None
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Result(
        name,
        history.size,
        len(document["decisions"]),
        load_s,
        replay_s,
        totals[0],
        int(totals[1]),
        rss_kb / 1024,
        heap_peak,
    )


def in_fresh_process(name: str, heap: bool) -> Result:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(run_case, name, heap).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also the Python heap peak (slower)"
    )
    args = parser.parse_args()
    print(describe())
    results = [in_fresh_process(name, args.tracemalloc) for name in args.cases]
    print("replay (policy + 4 baselines + 50 random books + IC), default configuration")
    header = f"{'case':32}{'sym':>5}{'dec':>6}{'load s':>8}{'replay s':>10}{'scoring s':>11}"
    header += f"{'share':>7}{'ms/dec':>8}{'rest ms/dec':>12}{'peak RSS MB':>13}"
    print(header + (f"{'heap MB':>9}" if args.tracemalloc else ""))
    for r in results:
        share = r.scoring_s / r.replay_s if r.replay_s else math.nan
        line = f"{CASES[r.case].label:32}{r.symbols:5d}{r.decisions:6d}{r.load_s:8.1f}"
        line += f"{r.replay_s:10.1f}{r.scoring_s:11.1f}{share:7.0%}"
        line += f"{1000 * r.replay_s / r.decisions:8.1f}"
        line += f"{1000 * (r.replay_s - r.scoring_s) / r.decisions:12.1f}{r.peak_rss_mb:13.0f}"
        print(line + (f"{r.heap_peak_mb:9.0f}" if r.heap_peak_mb is not None else ""))
    print(
        "scoring = cumulative wall time of app.scoring.scorers.composite.compute; "
        f"share = scoring / replay (goal >= {SHARE_GOAL:.0%})"
    )
    if args.tracemalloc:
        print("(timed with tracemalloc tracing every allocation: slower than a plain run)")
    for r in results:
        if r.case in GOALS and not args.tracemalloc:
            print(f"goal {CASES[r.case].label}: <= {GOALS[r.case]:.0f} s, took {r.replay_s:.1f} s")


if __name__ == "__main__":
    main()
