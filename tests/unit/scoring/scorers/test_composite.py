"""score_universe: component scores, weighted composite, confidence, order and determinism."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.scoring.scorers.components import FUNDAMENTAL, MARKET_STRUCTURE, RISK, TECHNICAL
from app.scoring.scorers.composite import (
    ScoringOutcome,
    SymbolScore,
    score_components,
    score_universe,
)
from app.scoring.scorers.gate import GateParams
from app.scoring.scorers.market_inputs import MarketInputs
from tests.unit.scoring.scorers.universe import (
    EQUAL_WEIGHTS,
    LENGTH,
    LOOSE_GATE,
    ROW_FIELDS,
    SYMBOLS,
    TARGET,
    by_symbol,
    config,
    make_universe,
    subset,
    with_missing_candles,
    with_value,
)

UNEVEN = {TECHNICAL: 0.4, FUNDAMENTAL: 0.3, MARKET_STRUCTURE: 0.2, RISK: 0.1}


@pytest.fixture(scope="module")
def base() -> MarketInputs:
    return make_universe()


@pytest.fixture(scope="module")
def outcome(base: MarketInputs) -> ScoringOutcome:
    return score_universe(base, config(UNEVEN))


def expected_composite(score: SymbolScore, weights: dict[str, float]) -> float:
    present = {n: c.score for n, c in score.components.items() if c.score is not None}
    return sum(weights[n] * s for n, s in present.items()) / sum(weights[n] for n in present)


def short_technical(inputs: MarketInputs) -> MarketInputs:
    """The target with 60 candles: too few for any technical metric (it needs 75)."""
    return with_missing_candles(inputs, TARGET, slice(0, LENGTH - 60))


SHORT_OK = GateParams(min_history=50, max_gap_ratio=0.5, max_ticker_age_s=1e9)


class TestComposite:
    def test_every_symbol_is_scored(self, outcome: ScoringOutcome) -> None:
        assert sorted(s.symbol for s in outcome.scores) == sorted(SYMBOLS)
        assert outcome.excluded == {}

    def test_composite_is_weighted_mean_of_component_scores(self, outcome: ScoringOutcome) -> None:
        for score in outcome.scores:
            assert set(score.components) == set(UNEVEN)
            assert score.composite == pytest.approx(expected_composite(score, UNEVEN), abs=1e-4)

    def test_component_without_score_is_left_out_of_composite(self, base: MarketInputs) -> None:
        outcome = by_symbol(score_universe(short_technical(base), config(gate=SHORT_OK)))
        target = outcome[SYMBOLS[TARGET]]
        assert target.components[TECHNICAL].score is None
        others = [target.components[n].score for n in (FUNDAMENTAL, MARKET_STRUCTURE, RISK)]
        assert target.composite == pytest.approx(sum(others) / 3, abs=1e-4)

    def test_weights_change_composites_not_component_scores(self, base: MarketInputs) -> None:
        even = by_symbol(score_universe(base, config(EQUAL_WEIGHTS)))
        uneven = by_symbol(score_universe(base, config(UNEVEN)))
        assert any(even[s].composite != uneven[s].composite for s in SYMBOLS)
        for symbol in SYMBOLS:
            assert even[symbol].components == uneven[symbol].components

    def test_scaling_all_weights_changes_nothing(self, base: MarketInputs) -> None:
        doubled = {name: 2 * w for name, w in UNEVEN.items()}
        assert score_universe(base, config(doubled)) == score_universe(base, config(UNEVEN))

    def test_zero_weight_component_is_not_computed(self, base: MarketInputs) -> None:
        weights = {TECHNICAL: 0.0, FUNDAMENTAL: 0.5, MARKET_STRUCTURE: 0.25, RISK: 0.25}
        for score in score_universe(base, config(weights)).scores:
            assert set(score.components) == {FUNDAMENTAL, MARKET_STRUCTURE, RISK}
            assert score.composite == pytest.approx(expected_composite(score, weights), abs=1e-4)

    def test_values_are_rounded_to_six_decimals(self, outcome: ScoringOutcome) -> None:
        for score in outcome.scores:
            assert score.composite == round(score.composite, 6)
            assert score.confidence == round(score.confidence, 6)
            for component in score.components.values():
                assert component.score == round(component.score, 6)


class TestComponentScores:
    def test_score_is_sum_of_contributions(self, outcome: ScoringOutcome) -> None:
        for score in outcome.scores:
            for component in score.components.values():
                total = sum(m.contribution for m in component.metrics)
                assert component.score == pytest.approx(total, abs=1e-4)

    def test_contribution_is_weighted_share_of_normalised(self, outcome: ScoringOutcome) -> None:
        for score in outcome.scores:
            for component in score.components.values():
                measured = sum(m.weight for m in component.metrics if m.normalised is not None)
                for m in component.metrics:
                    assert m.normalised is not None
                    assert m.contribution == pytest.approx(
                        m.normalised * m.weight / measured, abs=1e-5
                    )

    def test_normalised_and_contributions_within_0_and_100(self, outcome: ScoringOutcome) -> None:
        for score in outcome.scores:
            assert 0.0 <= score.composite <= 100.0
            for component in score.components.values():
                assert 0.0 <= component.score <= 100.0
                for m in component.metrics:
                    assert 0.0 <= m.normalised <= 100.0
                    assert 0.0 <= m.contribution <= 100.0

    def test_each_metric_ranks_the_universe_from_0_to_100(self, outcome: ScoringOutcome) -> None:
        for name in UNEVEN:
            columns: dict[str, list[float]] = {}
            for score in outcome.scores:
                for m in score.components[name].metrics:
                    columns.setdefault(m.name, []).append(m.normalised)
            for values in columns.values():
                assert sorted(values) == [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]

    def test_unmeasured_metric_contributes_nothing(self, base: MarketInputs) -> None:
        inputs = with_value(base, "previous_open_interest_usdt", TARGET, np.nan)
        component = by_symbol(score_universe(inputs, config()))[SYMBOLS[TARGET]].components
        metrics = {m.name: m for m in component[FUNDAMENTAL].metrics}
        assert metrics["open_interest_change"].contribution == 0.0
        measured = [m.normalised for m in metrics.values() if m.normalised is not None]
        assert len(measured) == 5
        assert component[FUNDAMENTAL].score == pytest.approx(sum(measured) / 5, abs=1e-4)

    def test_matches_score_components_arrays(self, base: MarketInputs) -> None:
        arrays = score_components(base, config(UNEVEN))
        outcome = by_symbol(score_universe(base, config(UNEVEN)))
        for name, component in arrays.items():
            for i, symbol in enumerate(SYMBOLS):
                assert outcome[symbol].components[name].score == pytest.approx(
                    component.score[i], abs=1e-6
                )

    def test_metric_weights_default_to_one(self, outcome: ScoringOutcome) -> None:
        weights = {
            m.weight for s in outcome.scores for c in s.components.values() for m in c.metrics
        }
        assert weights == {1.0}


class TestConfidence:
    def test_one_when_every_metric_is_measured(self, outcome: ScoringOutcome) -> None:
        assert [s.confidence for s in outcome.scores] == [1.0] * len(SYMBOLS)

    def test_missing_metric_lowers_it_by_its_weight_share(self, base: MarketInputs) -> None:
        inputs = with_value(base, "previous_open_interest_usdt", TARGET, np.nan)
        scores = by_symbol(score_universe(inputs, config()))
        assert scores[SYMBOLS[TARGET]].confidence == pytest.approx(1 - 0.25 / 6, abs=1e-6)
        assert all(scores[s].confidence == 1.0 for s in SYMBOLS if s != SYMBOLS[TARGET])

    def test_missing_metric_share_uses_component_weights(self, base: MarketInputs) -> None:
        inputs = with_value(base, "previous_open_interest_usdt", TARGET, np.nan)
        scores = by_symbol(score_universe(inputs, config(UNEVEN)))
        assert scores[SYMBOLS[TARGET]].confidence == pytest.approx(1 - 0.3 / 6, abs=1e-6)

    def test_missing_metrics_in_two_components_add_up(self, base: MarketInputs) -> None:
        inputs = with_value(base, "previous_open_interest_usdt", TARGET, np.nan)
        inputs = with_value(inputs, "ask_levels", TARGET, np.nan)  # no depth, no impact
        scores = by_symbol(score_universe(inputs, config()))
        expected = 1 - 0.25 / 6 - 0.25 * 2 / 4
        assert scores[SYMBOLS[TARGET]].confidence == pytest.approx(expected, abs=1e-6)

    def test_unscored_component_counts_as_unmeasured(self, base: MarketInputs) -> None:
        scores = by_symbol(score_universe(short_technical(base), config(gate=SHORT_OK)))
        # Technical unscored; and 60 hours of history cannot cover volume growth's 12 days.
        expected = 1 - 0.25 - 0.25 / 6
        assert scores[SYMBOLS[TARGET]].confidence == pytest.approx(expected, abs=1e-6)


class TestOrder:
    def test_best_composite_first(self, outcome: ScoringOutcome) -> None:
        composites = [s.composite for s in outcome.scores]
        assert composites == sorted(composites, reverse=True)
        assert len(set(composites)) == len(composites)

    def test_ties_are_ordered_by_symbol(self, base: MarketInputs) -> None:
        # DOGEUSDT becomes an exact copy of ADAUSDT: every metric ties, so do the composites.
        twin = base
        for name in ROW_FIELDS:
            twin = with_value(twin, name, 5, getattr(base, name)[4])
        scores = score_universe(twin, config()).scores
        pair = [s for s in scores if s.symbol in ("ADAUSDT", "DOGEUSDT")]
        assert pair[0].composite == pair[1].composite
        assert [s.symbol for s in pair] == ["ADAUSDT", "DOGEUSDT"]
        index = [s.symbol for s in scores].index("ADAUSDT")
        assert scores[index + 1].symbol == "DOGEUSDT"

    def test_a_symbol_nothing_could_measure_is_excluded_not_ranked(
        self, base: MarketInputs
    ) -> None:
        outcome = score_universe(short_technical(base), config({TECHNICAL: 1.0}, gate=SHORT_OK))
        composites = [s.composite for s in outcome.scores]
        assert not any(np.isnan(c) for c in composites)
        assert composites == sorted(composites, reverse=True)
        assert outcome.excluded == {"SOLUSDT": "UNMEASURED"}


class TestGateInteraction:
    def test_excluded_symbol_takes_no_part_in_ranks(self, base: MarketInputs) -> None:
        closed = with_value(base, "is_open", 5, False)
        without = subset(base, np.array([True, True, True, True, True, False]))
        masked = score_universe(closed, config())
        assert masked.excluded == {"DOGEUSDT": "NOT_OPEN"}
        alone = score_universe(without, config()).scores
        assert [s.symbol for s in masked.scores] == [s.symbol for s in alone]
        for left, right in zip(masked.scores, alone, strict=True):
            assert (left.composite, left.confidence) == (right.composite, right.confidence)
            for name, component in left.components.items():
                assert component.score == right.components[name].score
                for m, other in zip(component.metrics, right.components[name].metrics, strict=True):
                    # raw values may differ in the last bit (BLAS summation order)
                    assert m.raw == pytest.approx(other.raw, rel=1e-12)
                    assert (m.normalised, m.contribution) == (other.normalised, other.contribution)

    def test_lone_symbol_scores_50_everywhere(self, base: MarketInputs) -> None:
        lone = subset(base, np.array([TARGET]))
        (score,) = score_universe(dataclasses.replace(lone, benchmark="NONE"), config()).scores
        assert score.composite == 50.0
        for component in score.components.values():
            assert component.score == 50.0
            assert {m.normalised for m in component.metrics} <= {50.0, None}

    def test_default_gate_passes_the_universe(self, base: MarketInputs) -> None:
        assert score_universe(base, config(gate=GateParams())).excluded == {}


class TestDeterminism:
    def test_equal_inputs_give_equal_outcomes(self) -> None:
        first = score_universe(make_universe(), config(UNEVEN))
        second = score_universe(make_universe(), config(UNEVEN))
        assert first == second

    def test_repeated_call_on_same_inputs_is_equal(self, base: MarketInputs) -> None:
        assert score_universe(base, config()) == score_universe(base, config())

    def test_inputs_are_not_modified(self) -> None:
        inputs, pristine = make_universe(), make_universe()
        score_universe(inputs, config())
        for name in ROW_FIELDS:
            np.testing.assert_array_equal(getattr(inputs, name), getattr(pristine, name))


class TestSubset:
    def test_index_array_keeps_rows_aligned(self, base: MarketInputs) -> None:
        rows = np.array([4, 0, 2])
        picked = subset(base, rows)
        assert picked.symbols == ["ADAUSDT", "BTCUSDT", "SOLUSDT"]
        for name in ROW_FIELDS:
            np.testing.assert_array_equal(getattr(picked, name), getattr(base, name)[rows])

    def test_boolean_mask_keeps_rows_aligned(self, base: MarketInputs) -> None:
        mask = np.array([False, True, False, True, False, True])
        picked = subset(base, mask)
        assert picked.symbols == ["ETHUSDT", "XRPUSDT", "DOGEUSDT"]
        for name in ROW_FIELDS:
            np.testing.assert_array_equal(getattr(picked, name), getattr(base, name)[[1, 3, 5]])

    def test_keeps_benchmark_and_size(self, base: MarketInputs) -> None:
        picked = subset(dataclasses.replace(base, benchmark="ETHUSDT"), np.array([1, 2]))
        assert (picked.benchmark, picked.size) == ("ETHUSDT", 2)

    def test_derived_returns_follow_the_rows(self, base: MarketInputs) -> None:
        picked = subset(base, np.array([3, 1]))
        np.testing.assert_array_equal(picked.returns, base.returns[[3, 1]])
        np.testing.assert_allclose(
            picked.returns, np.diff(np.log(base.close[[3, 1]]), axis=1), rtol=0, atol=1e-15
        )

    def test_has_gaps_marks_rows_with_missing_candles(self, base: MarketInputs) -> None:
        gappy = with_missing_candles(base, TARGET, [10])
        assert gappy.has_gaps.tolist() == [i == TARGET for i in range(len(SYMBOLS))]


class TestDistrustedBenchmark:
    def test_an_excluded_benchmark_measures_no_beta_or_correlation(self) -> None:
        base = make_universe()
        jumped = base.close.copy()
        jumped[0, 250:] *= 1.7  # BTC jumps 70 % in one bar: EXTREME_MOVE
        strict = dataclasses.replace(LOOSE_GATE, max_abs_bar_return=0.5)
        outcome = score_universe(dataclasses.replace(base, close=jumped), config(gate=strict))
        assert outcome.excluded == {"BTCUSDT": "EXTREME_MOVE"}
        for score in outcome.scores:
            risk = {m.name: m for m in score.components[RISK].metrics}
            assert risk["beta_to_benchmark"].raw is None
            assert risk["correlation_to_benchmark"].raw is None
            assert score.confidence < 1.0
