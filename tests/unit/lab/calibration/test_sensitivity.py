"""The judge's sensitivity: every candidate at lag 0 and 1 and at 0, 5, 10 and 20 bps of
slippage, as variants of one book run (one scoring and one policy step per decision), each with
the figures a replay of it alone at those parameters gives."""

from __future__ import annotations

import dataclasses

import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.calibration.judging import judge_history
from app.lab.calibration.sensitivity import LAGS_H, SLIPPAGE_BPS, figures, variants
from app.lab.replay.replaying import replayed
from app.platform.core.units import HOUR_MS
from app.records.keeping.family import FAMILY
from tests.replay_data import START_MS, random_walks

DAY_MS = 24 * HOUR_MS
WINDOW = ReplayParams(START_MS + 12 * DAY_MS, START_MS + 30 * DAY_MS, 24, random_draws=3)
CHOSEN = ("B", "G")
HISTORY = random_walks(12, 24 * 31, seed=3)
POLICIES = {c.name: policy_config(default_run_config(), DEFAULTS, c.overrides()) for c in FAMILY}


@pytest.fixture(scope="module")
def judged() -> dict:
    _, figures = judge_history(HISTORY, {n: POLICIES[n] for n in CHOSEN}, WINDOW)
    return figures


def alone(name: str, **changes: float) -> dict:
    """`name`'s figures from a replay of it alone with `changes` to the window."""
    report, run = replayed(HISTORY, POLICIES[name], dataclasses.replace(WINDOW, **changes))
    return figures(report["strategies"]["policy"], run.selection, "policy")


def test_the_variants_are_the_other_lags_and_slippage_levels() -> None:
    assert [v.name for v in variants(WINDOW)] == [
        "lag_0",
        "slippage_5",
        "slippage_10",
        "slippage_20",
    ]
    assert WINDOW.execution_lag_h == 1 and WINDOW.slippage_bps == 0.0


def test_every_candidate_has_every_lag_and_slippage_level(judged: dict) -> None:
    for name in CHOSEN:
        sensitivity = judged[name].sensitivity
        assert list(sensitivity["lags"]) == [str(h) for h in LAGS_H]
        assert list(sensitivity["slippage_bps"]) == [f"{b:g}" for b in SLIPPAGE_BPS]
        # The run's own lag and slippage are one and the same figures.
        assert sensitivity["lags"]["1"] == sensitivity["slippage_bps"]["0"]


@pytest.mark.parametrize("name", CHOSEN)
@pytest.mark.parametrize("lag", LAGS_H)
def test_each_lag_is_the_replay_alone_at_that_lag(judged: dict, name: str, lag: int) -> None:
    assert judged[name].sensitivity["lags"][str(lag)] == alone(name, execution_lag_h=lag)


@pytest.mark.parametrize("bps", SLIPPAGE_BPS[1:])
def test_each_slippage_level_is_the_replay_alone_at_that_cost(judged: dict, bps: float) -> None:
    assert judged["G"].sensitivity["slippage_bps"][f"{bps:g}"] == alone("G", slippage_bps=bps)


def test_costs_lower_the_return_level_by_level(judged: dict) -> None:
    levels = judged["G"].sensitivity["slippage_bps"]
    returns = [levels[f"{b:g}"]["total_return"] for b in SLIPPAGE_BPS]
    assert returns == sorted(returns, reverse=True) and returns[0] > returns[-1]
    ics = {levels[f"{b:g}"]["ic_raw"]["mean"] for b in SLIPPAGE_BPS}
    assert len(ics) == 1  # costs move the book, never the ranking
