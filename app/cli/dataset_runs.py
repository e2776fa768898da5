"""What the options of `replay` and `calibrate` name on one `--data` folder: its history, the
configuration, the range (the folder's own default unless `--from`/`--to`) and the parameters;
and the run on it as a task of the pool (its report and the series to pool)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

import numpy as np

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.calibration.calibrating import CalibrationParams, calibrated
from app.lab.csv_source import load_csv_folder
from app.lab.replay.pooled import DatasetRun
from app.lab.replay.replaying import replayed
from app.market.contracts.categories import CATEGORIES
from app.platform.core.units import DAY_MS, HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers import learned


def default_range(history: MarketHistory, policy: PolicyConfig) -> tuple[int, int]:
    """From the first whole day with the gate's minimum history and the momentum lookback
    (only the gate's when that would leave under 30 days of decisions) to the median of the
    symbols' last closes (so a few long-lived files do not stretch the window)."""
    end = int(np.median(history.last_close_ms_each())) // HOUR_MS * HOUR_MS
    gate = policy.scoring.gate.min_history * HOUR_MS
    for warm_up in (max(gate, ReplayParams.momentum_days * DAY_MS), gate):
        start = math.ceil((history.first_close_ms() + warm_up) / DAY_MS) * DAY_MS
        if end - start >= 30 * DAY_MS:
            return start, end
    return start, end


def policy_of(args: argparse.Namespace) -> PolicyConfig:
    """The seeded configuration with `--config`'s overrides and `--top`
    (`LearnedNotInstalledError` when they weigh the learned scorer without its extra)."""
    overrides = json.loads(args.config.read_text()) if args.config else None
    if learned.chosen_by_overrides(overrides):
        learned.require()
    return policy_config(default_run_config(), DEFAULTS, overrides, top=args.top)


def history_and_params(
    args: argparse.Namespace, folder: Path
) -> tuple[MarketHistory, PolicyConfig, ReplayParams]:
    """The history in `folder`, and the configuration and replay parameters the options name."""
    history = with_categories(load_csv_folder(folder), getattr(args, "categories", None))
    policy = policy_of(args)
    start, end = default_range(history, policy)
    params = ReplayParams(
        start_ms=args.start if args.start is not None else start,
        end_ms=args.end if args.end is not None else end,
        every_h=args.every,
        fee_bps=args.fee_bps,
        slippage_bps=args.slippage_bps,
        execution_lag_h=args.execution_lag_h,
    )
    return history, policy, params


def with_categories(history: MarketHistory, path: Path | None) -> MarketHistory:
    """`history` given the categories of `path`'s JSON map (symbol: category), each held as an
    admin's override holds it; a symbol it does not name is left to the evidence."""
    if path is None:
        return history
    given = json.loads(path.read_text())
    unknown = sorted(set(given.values()) - set(CATEGORIES))
    if unknown:
        raise LookupError(f"{path}: {unknown} are not categories (one of {list(CATEGORIES)})")
    named = tuple(given.get(symbol) for symbol in history.symbols)
    return dataclasses.replace(history, given_categories=named)


def calibration_params(args: argparse.Namespace, params: ReplayParams) -> CalibrationParams:
    return CalibrationParams(params, args.train, args.test, args.objective, learned=args.learned)


def replay_dataset(args: argparse.Namespace, folder: Path) -> DatasetRun:
    """The replay of `folder` (its report as a run on it alone writes it)."""
    history, policy, params = history_and_params(args, folder)
    report, run = replayed(history, policy, params)
    return DatasetRun(folder.name, report, run.ic_series, run.selection)


def calibrate_dataset(args: argparse.Namespace, folder: Path) -> DatasetRun:
    """The walk-forward calibration of `folder` on its own folds; the series pooled are its
    out-of-sample run's (tracks `policy` and `default`)."""
    history, policy, params = history_and_params(args, folder)
    report, run = calibrated(history, policy, calibration_params(args, params))
    return DatasetRun(folder.name, report, run.ic_series, run.selection)
