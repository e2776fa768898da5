"""Benchmark: a full walk-forward calibration (`python -m app.cli calibrate`'s engine) on the
shared year, as the CLI runs it by default (120-day training, 30-day test windows, daily
decisions, the default search space), with and without the learned scorer.

`python -m tests.bench.bench_calibration [--cases sharpe ic learned]`
Each case runs in a fresh process (its peak RSS is its own). Numbers only, no assertions.
Goal: <= 5 minutes for a full calibration on the year-long dataset.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import resource
import time
from dataclasses import dataclass

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.replay_params import ReplayParams
from app.cli.dataset_runs import default_range
from app.configuration.registry import DEFAULTS
from app.lab.calibration.calibrating import CalibrationParams, calibrate
from app.lab.csv_source import load_csv_folder
from tests.shared_data import MARKET_DATA

GOAL_S = 300.0
CASES = {
    "sharpe": ("objective sharpe", "sharpe", False),
    "ic": ("objective ic", "ic", False),
    "learned": ("objective sharpe + learned scorer", "sharpe", True),
}


@dataclass(frozen=True)
class Result:
    case: str
    folds: int
    trials: int
    decisions: int
    seconds: float
    peak_rss_mb: float


def run_case(name: str) -> Result:
    _, objective, learned = CASES[name]
    folder = MARKET_DATA / "roshan7869-algotrading"
    if not folder.is_dir():
        raise SystemExit(f"{folder} is absent (../shared/market-data is read in place)")
    history = load_csv_folder(folder)
    base = policy_config(default_run_config(), DEFAULTS)
    start, end = default_range(history, base)
    params = CalibrationParams(
        ReplayParams(start, end, 24), 120 * 24, 30 * 24, objective, learned=learned
    )
    started = time.perf_counter()
    report = calibrate(history, base, params)
    seconds = time.perf_counter() - started
    folds = report["folds"]
    return Result(
        name,
        len(folds),
        sum(f["trials"] for f in folds),
        report["data"]["decisions"],
        seconds,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def in_fresh_process(name: str) -> Result:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(run_case, name).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    args = parser.parse_args()
    results = [in_fresh_process(name) for name in args.cases]
    print("walk-forward calibration, shared year (32 symbols), 120d train / 30d test, daily")
    print(f"{'case':38}{'folds':>6}{'trials':>8}{'OOS dec':>8}{'seconds':>9}{'peak RSS MB':>13}")
    for r in results:
        print(
            f"{CASES[r.case][0]:38}{r.folds:6d}{r.trials:8d}{r.decisions:8d}{r.seconds:9.1f}"
            f"{r.peak_rss_mb:13.0f}"
        )
    for r in results:
        print(f"goal {CASES[r.case][0]}: <= {GOAL_S:.0f} s, took {r.seconds:.1f} s")


if __name__ == "__main__":
    main()
