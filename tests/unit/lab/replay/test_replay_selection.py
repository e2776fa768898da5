"""The `selection` of a replay: its documented keys, an equal-weight book without costs that is
the universe to the bit, the raw IC the report's own, no look-ahead in the betas, and runs
pooled without re-running."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import numpy as np
import pytest

from app.books.replay_config import policy_config
from app.books.simulation.baselines import STRATEGIES
from app.books.simulation.decision_context import Contexts, context_at
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.selection_figures import HORIZONS
from app.books.simulation.selection_record import universe_betas, universe_hourly
from app.books.simulation.selection_skill import SelectionSeries
from app.configuration.registry import DEFAULTS
from app.lab.replay.replaying import Track, constant, replay, run_books
from app.lab.replay.schedules import BookRun
from app.platform.core.units import HOUR_MS
from app.records.keeping.family import PRESETS
from tests.replay_data import START_MS, altered, generated_run_config, random_walks

POLICY = policy_config(generated_run_config(), DEFAULTS)
# The seed's weights: the default (risk alone) makes no swap on these walks.
SEED = policy_config(generated_run_config(), DEFAULTS, PRESETS["seed"].overrides())
DAY_MS = 24 * HOUR_MS
WINDOW = ReplayParams(START_MS + 12 * DAY_MS, START_MS + 39 * DAY_MS, 24, random_draws=3)
REGRESSION = {
    "n",
    "alpha",
    "alpha_annualised",
    "alpha_se",
    "alpha_t",
    "alpha_se_hac",
    "alpha_t_hac",
    "alpha_interval",
    "alpha_interval_annualised",
    "beta",
    "active_return",
    "tracking_error",
    "information_ratio",
}
MEAN_T = {"mean", "t", "t_hac", "n"}
OUTCOME = {"n", "mean", "hit_rate", "hit_interval", "decisions", "t_clustered", "effective_n"}


@cache
def walks(seed: int = 7, funding: bool = True) -> MarketHistory:
    return random_walks(12, 24 * 40, seed=seed, funding=funding)


def books(history: MarketHistory, params: ReplayParams = WINDOW, policy: Any = POLICY) -> BookRun:
    contexts = Contexts(history, policy, keep=False)
    return run_books(contexts, [Track("policy", constant(policy))], policy, params)


def run_metrics(contexts: Contexts, policy: Any) -> list[Any]:
    """The metrics the configuration's only weighed component scores at the first decision."""
    ctx = contexts.at(WINDOW.start_ms, set(), policy.scoring)
    return [m for arrays in ctx.table.components.values() for m in arrays.metrics]


@cache
def report() -> dict[str, Any]:
    return replay(walks(), POLICY, WINDOW)


class TestReport:
    def test_selection_has_the_documented_keys(self) -> None:
        selection = report()["selection"]
        assert set(selection) == {
            "universe",
            "strategies",
            "ranking",
            "replacements",
            "random",
            "datasets",
        }
        assert set(selection["universe"]) == {"n", "mean", "annualised", "periods_per_year"}
        assert selection["universe"]["n"] == 27 and selection["universe"]["periods_per_year"] == 365
        assert set(selection["strategies"]) == set(STRATEGIES)
        for figures in selection["strategies"].values():
            assert set(figures) == REGRESSION and figures["n"] == 27
        ranking = selection["ranking"]["policy"]
        assert set(ranking) == {"ic", "decile_spread", "components", "metrics"}
        assert set(ranking["components"]) == {c for c, w in POLICY.scoring.weights.items() if w}
        # Every metric of the weighed components (the default's: risk's alone), and no other.
        scored = run_metrics(Contexts(walks(), POLICY, keep=False), POLICY)
        assert set(ranking["metrics"]) == {m.name for m in scored}
        assert "volatility_annualised" in ranking["metrics"] and "rsi" not in ranking["metrics"]
        assert set(ranking["ic"]) == set(ranking["decile_spread"]) == {"raw", "residual_universe"}
        for figures in (*ranking["ic"].values(), *ranking["decile_spread"].values()):
            assert set(figures) == MEAN_T
        replacements = selection["replacements"]
        assert set(replacements) == {"swap_cost", "executed", "blocked"}
        assert replacements["swap_cost"] == pytest.approx(2 * WINDOW.cost_rate, abs=1e-15)
        for kind in ("executed", "blocked"):
            assert set(replacements[kind]) == set(HORIZONS)
            for figures in replacements[kind].values():
                assert set(figures) == OUTCOME
        # The policy among each null's draws: return, Sharpe and alpha percentiles.
        nulls = selection["random"]
        assert set(nulls) == {"random", "random_turnover"}
        for null in nulls.values():
            assert null["draws"] == WINDOW.random_draws
            assert set(null["quantiles"]) == {"total_return", "sharpe", "alpha"}
            (placed,) = null["percentile"].values()
            assert set(placed) == {"total_return", "sharpe", "alpha"}
            assert all(0 <= v <= 100 for v in placed.values())
        (dataset,) = selection["datasets"]
        assert dataset["source"] == "generated" and dataset["decisions"] == 27
        assert set(dataset) == {"source", "decisions", "strategies", "ic"}

    def test_the_raw_ic_is_the_reports_composite_ic(self) -> None:
        document = report()
        composite = document["ic"]["composite"]
        raw = document["selection"]["ranking"]["policy"]["ic"]["raw"]
        assert raw == {k: composite[k] for k in MEAN_T}
        assert raw["n"] > 20

    def test_a_composite_of_one_component_ranks_as_that_component(self) -> None:
        weights = {name: float(name == "risk") for name in POLICY.scoring.weights}
        scoring = dataclasses.replace(POLICY.scoring, weights=weights)
        risk_only = dataclasses.replace(POLICY, scoring=scoring)
        contexts = Contexts(walks(), risk_only, keep=False)
        run = run_books(contexts, [Track("policy", constant(risk_only))], risk_only, WINDOW)
        ranking = run.selection.rankings["policy"]
        assert np.isfinite(ranking.ic_residual).sum() == 27
        assert ranking.scores["risk"] == pytest.approx(ranking.ic_residual, abs=1e-12)
        assert set(ranking.scores) - {"risk"} == {
            f"metric:{m.name}" for m in run_metrics(contexts, risk_only)
        }

    def test_swaps_are_the_replaced_and_blocked_of_the_decisions(self) -> None:
        run = books(walks(), policy=SEED)
        replaced = [
            (d["at"], e["member"], e["outsider"]) for d in run.decisions for e in d["replaced"]
        ]
        assert len(run.selection.executed.pairs) == len(replaced) > 0
        assert list(run.selection.executed.pairs) == [(m, o) for _, m, o in replaced]
        blocked = [
            (e["member"], e["outsider"])
            for d in run.decisions
            for e in d["blocked"]
            if e["outsider"] is not None  # no outsider to compare with
        ]
        assert list(run.selection.blocked.pairs) == blocked
        # 1 day after the last decisions the history still runs; 30 days after none does.
        assert np.isfinite(run.selection.executed.outcomes[:, 0]).all()
        assert np.isnan(run.selection.executed.outcomes[:, 2]).all()


class TestEqualWeight:
    def test_without_costs_or_funding_it_is_the_universe(self) -> None:
        free = dataclasses.replace(WINDOW, fee_bps=0.0)
        series = books(walks(funding=False), free).selection
        assert series.books["equal_weight"] == pytest.approx(series.universe, abs=1e-14)
        figures = series.summary()["strategies"]["equal_weight"]
        assert figures["alpha"] == pytest.approx(0.0, abs=1e-12)
        assert figures["beta"] == pytest.approx(1.0, abs=1e-10)
        assert figures["tracking_error"] == pytest.approx(0.0, abs=1e-10)

    def test_its_costs_are_negative_alpha(self) -> None:
        figures = report()["selection"]["strategies"]["equal_weight"]
        assert figures["alpha"] < 0
        assert figures["beta"] == pytest.approx(1.0, abs=0.01)


def per_decision(series: SelectionSeries) -> list[np.ndarray]:
    """Every per-decision array of a series."""
    ranking = series.rankings["policy"]
    return [
        series.universe,
        *series.books.values(),
        ranking.ic_raw,
        ranking.ic_residual,
        ranking.spread_raw,
        ranking.spread_residual,
        *ranking.scores.values(),
    ]


class TestNoLookAhead:
    moment = START_MS + 25 * DAY_MS

    def altered(self) -> MarketHistory:
        history = walks()
        later = np.flatnonzero(history.grid_ms + HOUR_MS > self.moment)
        return altered(history, np.arange(history.size)[::2], later)

    def test_betas_at_a_moment_ignore_everything_after_it(self) -> None:
        before = context_at(walks(), self.moment, POLICY, set())
        after = context_at(self.altered(), self.moment, POLICY, set())
        hourly = universe_hourly(before)
        assert np.isfinite(hourly).all()
        np.testing.assert_array_equal(hourly, universe_hourly(after))
        betas = universe_betas(before, hourly)
        assert np.isfinite(betas).all()
        np.testing.assert_array_equal(betas, universe_betas(after, universe_hourly(after)))

    def test_periods_ended_by_a_moment_are_judged_the_same(self) -> None:
        before, after = books(walks()).selection, books(self.altered()).selection
        times = WINDOW.decision_times()
        # A decision at t is held from t + lag: the one a day before the moment ends after it.
        lag = WINDOW.execution_lag_h * HOUR_MS
        ended = sum(1 for t in times if t + lag + DAY_MS <= self.moment)
        assert ended == 12
        for old, new in zip(per_decision(before), per_decision(after), strict=True):
            np.testing.assert_array_equal(old[:ended], new[:ended])
        # The alteration is seen once it is known: the test could fail.
        assert not np.array_equal(before.universe[ended:], after.universe[ended:])


class TestPooling:
    def test_runs_pool_from_their_series_without_re_running(self) -> None:
        first, second = books(walks(7)).selection, books(walks(8)).selection
        pooled = SelectionSeries.combine([first, second]).summary()
        assert pooled["universe"]["n"] == 54
        ics = np.concatenate([s.rankings["policy"].ic_raw for s in (first, second)])
        assert pooled["ranking"]["policy"]["ic"]["raw"]["n"] == int(np.isfinite(ics).sum())
        assert pooled["ranking"]["policy"]["ic"]["raw"]["mean"] == pytest.approx(
            float(np.nanmean(ics)), abs=1e-10
        )
        assert pooled["datasets"][0] == first.summary()["datasets"][0]
        assert pooled["datasets"][1] == second.summary()["datasets"][0]
