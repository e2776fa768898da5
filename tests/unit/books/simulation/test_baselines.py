"""The top-volume baseline holds the N eligible symbols with the highest 24 h turnover at equal
weight, ties going to the symbol first by name, whatever order the history lists them in."""

from __future__ import annotations

import dataclasses
import heapq
import itertools

import numpy as np
import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.baselines import RandomTurnover, TopVolume
from app.books.simulation.decision_context import Context, context_at
from app.configuration.registry import DEFAULTS
from app.platform.core.units import HOUR_MS
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


class Eligible:
    """A universe of `n` symbols of which `eligible` are eligible (all the turnover null reads)."""

    def __init__(self, eligible: list[int]) -> None:
        self.eligible = eligible


class TestRandomTurnover:
    def test_each_draw_replaces_as_many_members_as_the_policy(self) -> None:
        null = RandomTurnover(top=3, seed=0, draws=20, n=12)
        everyone = Eligible(list(range(12)))
        policy = [{0, 1, 2}, {0, 1, 2}, {0, 1, 5}, {0, 6, 7}, {0, 6, 7}]
        held = null.targets(everyone, policy[0]) > 0
        assert (held.sum(axis=1) == 3).all()  # the first decision fills every book
        for before, after in itertools.pairwise(policy):
            new = null.targets(everyone, after) > 0
            changed = len(after - before)
            assert (new.sum(axis=1) == 3).all()
            assert ((new & ~held).sum(axis=1) == changed).all()  # as many in as the policy
            held = new

    def test_a_member_no_longer_eligible_counts_as_one_of_the_replacements(self) -> None:
        null = RandomTurnover(top=3, seed=1, draws=10, n=8)
        first = null.targets(Eligible(list(range(8))), {0, 1, 2}) > 0
        gone = int(np.flatnonzero(first[0])[0])
        rest = [i for i in range(8) if i != gone]
        second = null.targets(Eligible(rest), {0, 1, 3}) > 0  # the policy replaced one
        assert not second[0, gone] and second[0].sum() == 3
        assert (second[0] & ~first[0]).sum() == 1  # the forced exit was the one replacement

    def test_the_draws_are_seeded(self) -> None:
        runs = []
        for _ in range(2):
            null = RandomTurnover(top=2, seed=5, draws=4, n=10)
            everyone = Eligible(list(range(10)))
            runs.append([null.targets(everyone, m).copy() for m in ({0, 1}, {0, 2}, {3, 4})])
        for a, b in zip(*runs, strict=True):
            np.testing.assert_array_equal(a, b)
