"""The top-volume baseline holds the N eligible symbols with the highest 24 h turnover at equal
weight, ties going to the symbol first by name, whatever order the history lists them in."""

from __future__ import annotations

import dataclasses
import heapq

import numpy as np
import pytest

from app.replay.baselines import TopVolume
from app.replay.config import HOUR_MS
from app.replay.context import Context, context_at
from app.services.replay.config import default_run_config, policy_config
from app.services.system.runtime_settings import DEFAULTS
from tests.replay_data import START_MS, random_walks

POLICY = dataclasses.replace(policy_config(default_run_config(), DEFAULTS), shortlist=30)


def context(turnover: np.ndarray | None = None) -> Context:
    base = random_walks(30, 40 * 24)
    names = list(base.symbols)
    np.random.default_rng(1).shuffle(names)  # list order is not name order
    history = dataclasses.replace(base, symbols=names, _index={})
    ctx = context_at(history, START_MS + 35 * 24 * HOUR_MS, POLICY, set())
    assert len(ctx.eligible) > 20
    return ctx if turnover is None else dataclasses.replace(ctx, turnover=turnover)


def expected(ctx: Context, top: int) -> np.ndarray:
    """The rule as written: sort the eligible by (-turnover, name), keep the first `top`."""
    volume = ctx.turnover_24h()
    symbols = ctx.view.history.symbols
    chosen = sorted(ctx.eligible, key=lambda i: (-volume[i], symbols[i]))[:top]
    weights = np.zeros(ctx.view.history.size)
    weights[chosen] = 1.0 / len(chosen)
    return weights


@pytest.mark.parametrize("top", [1, 5, 10, 40])
def test_the_top_turnover_at_equal_weight(top: int) -> None:
    ctx = context()
    np.testing.assert_array_equal(TopVolume(top).targets(ctx), expected(ctx, top))


@pytest.mark.parametrize("top", [3, 8, 12])
def test_ties_go_to_the_symbol_first_by_name(top: int) -> None:
    plain = context()
    ties = np.random.default_rng(top).integers(0, 3, plain.rows.size).astype(float)
    ctx = context(ties)
    np.testing.assert_array_equal(TopVolume(top).targets(ctx), expected(ctx, top))


def test_a_nan_turnover_keeps_the_order_python_gives_its_keys() -> None:
    plain = context()
    turnover = plain.turnover.copy()
    turnover[[1, 4]] = np.nan
    ctx = context(turnover)
    volume, symbols = ctx.turnover_24h(), ctx.view.history.symbols
    chosen = heapq.nsmallest(10, ctx.eligible, key=lambda i: (-volume[i], symbols[i]))
    weights = np.zeros(ctx.view.history.size)
    weights[chosen] = 0.1
    np.testing.assert_array_equal(TopVolume(10).targets(ctx), weights)
