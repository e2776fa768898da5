"""Stage 1 (`app.scoring.scorers.shortlist`, one rule over arrays for the live run and the replay)
shortlists what the rule over listing facts it replaced did (kept here as the reference): late
listings, funding outside the limit, turnover ties, members and a benchmark outside the top,
symbols not in alphabetical order; an unknown turnover ranks as none."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.decision_context import stage_one
from app.books.simulation.funding_index import Funding, SettledFunding
from app.books.simulation.history_inputs import quote_turnover, settled_funding
from app.books.simulation.market_history import MarketHistory, PointInTime
from app.configuration.registry import DEFAULTS
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from tests.replay_data import START_MS, random_walks

POLICY = policy_config(default_run_config(), DEFAULTS)
HOURS = 12 * 24


def awkward_history(seed: int) -> MarketHistory:
    """40 symbols, shuffled names, late listings, holes, silent symbols (zero turnover ties)
    and funding rates beyond the limit."""
    rng = np.random.default_rng(seed)
    base = random_walks(40, HOURS, seed=seed)
    names = list(base.symbols)
    rng.shuffle(names)
    fields = {name: getattr(base, name).copy() for name in ("open", "high", "low", "close")}
    volume = base.volume.copy()
    late = rng.choice(40, 8, replace=False)
    holes = rng.random(volume.shape) < 0.02
    for values in (*fields.values(), volume):
        values[holes] = np.nan
        for k, i in enumerate(late):
            values[i, : 24 * (1 + k)] = np.nan
    volume[rng.choice(40, 15, replace=False), -30:] = 0.0  # turnover 0: ties broken by name
    funding: list[Funding | None] = []
    for i, record in enumerate(base.funding):
        if i % 7 == 3:
            funding.append(None)
            continue
        assert record is not None
        rate = record.rate.copy()
        if i % 5 == 1:
            rate[-1] = 0.02 if i % 2 else -0.02  # beyond scoring_max_abs_funding
        funding.append(Funding(record.at_ms, rate))
    return dataclasses.replace(
        base, symbols=names, volume=volume, funding=funding, _index={}, **fields
    )


def by_facts(
    view: PointInTime,
    config: PolicyConfig,
    members: set[int],
    funding: SettledFunding,
    turnover: np.ndarray,
) -> np.ndarray:
    """The rule over listing facts, one symbol at a time (the live code until issue 29)."""
    history = view.history
    listed = np.flatnonzero(~np.isnan(view.last_candle_close_ms())).tolist()
    first_close = history.first_close_ms_each()
    candidates = [
        i
        for i in listed
        if (view.t_ms - first_close[i]) / HOUR_MS >= config.min_listing_days * 24
        and (funding.count[i] == 0 or abs(funding.latest[i]) <= config.max_abs_funding)
    ]
    candidates.sort(key=lambda i: (-(float(turnover[i]) or 0.0), history.symbols[i]))
    chosen = set(candidates[: config.shortlist])
    chosen |= {i for i in listed if i in members or history.symbols[i] == config.benchmark}
    return np.array(sorted(chosen, key=lambda i: history.symbols[i]), dtype=np.int64)


def both(history: MarketHistory, t_ms: int, config: PolicyConfig, members: set[int]) -> None:
    view = history.at(t_ms)
    funding, turnover = settled_funding(view), quote_turnover(view)
    fast = stage_one(view, config, members, funding, turnover)
    facts = by_facts(view, config, members, funding, turnover)
    assert fast.dtype == facts.dtype == np.int64
    np.testing.assert_array_equal(fast, facts)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("size", [1, 5, 15, 20, 60])
def test_the_arrays_shortlist_what_the_live_rule_does(seed: int, size: int) -> None:
    history = awkward_history(seed)
    config = dataclasses.replace(POLICY, shortlist=size)
    rng = np.random.default_rng(seed)
    for hour in (2, 30, 100, 200, HOURS - 1):
        t_ms = START_MS + hour * HOUR_MS
        for members in (set(), {int(i) for i in rng.choice(40, 4, replace=False)}):
            both(history, t_ms, config, members)


def test_a_benchmark_outside_the_history_or_not_yet_listed() -> None:
    history = awkward_history(4)
    for benchmark in ("NOPEUSDT", history.symbols[0]):
        config = dataclasses.replace(POLICY, shortlist=3, benchmark=benchmark)
        for hour in (1, 5, 50):
            both(history, START_MS + hour * HOUR_MS, config, {1, 2})


def test_an_unknown_turnover_ranks_as_none() -> None:
    history = random_walks(12, HOURS)
    view = history.at(START_MS + 100 * HOUR_MS)
    turnover = quote_turnover(view)
    config = dataclasses.replace(POLICY, shortlist=4)
    funding = settled_funding(view)
    unknown, none = turnover.copy(), turnover.copy()
    unknown[[2, 5]], none[[2, 5]] = np.nan, 0.0
    np.testing.assert_array_equal(
        stage_one(view, config, set(), funding, unknown),
        stage_one(view, config, set(), funding, none),
    )
    ranked_last = dataclasses.replace(config, shortlist=11)  # 10 known, then 2 and 5 by name
    shortlisted = stage_one(view, ranked_last, set(), funding, unknown).tolist()
    assert (2 in shortlisted) != (5 in shortlisted)


@pytest.mark.parametrize("size", [3, 10, 18])
def test_turnover_ties_go_to_the_symbol_first_by_name(size: int) -> None:
    history = awkward_history(5)
    view = history.at(START_MS + 200 * HOUR_MS)
    turnover = np.random.default_rng(size).integers(0, 4, history.size).astype(float)
    config = dataclasses.replace(POLICY, shortlist=size)
    funding = settled_funding(view)
    np.testing.assert_array_equal(
        stage_one(view, config, {7}, funding, turnover),
        by_facts(view, config, {7}, funding, turnover),
    )
