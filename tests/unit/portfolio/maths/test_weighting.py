"""Percent weights: base methods by hand, and the exact capped water-filling that fits them."""

from __future__ import annotations

import numpy as np
import pytest

from app.portfolio.maths.weighting import (
    LIQUIDITY_CAP,
    MAX_POSITION_WEIGHT,
    METHODS,
    MIN_POSITION_WEIGHT,
    InfeasibleWeights,
    calculate_weights,
    equal_weights,
    hrp_weights,
    inverse_volatility_weights,
    liquidity_upper_bounds,
    rank_weights,
    risk_parity_weights,
    score_squared_weights,
    score_weights,
    water_fill,
)

INF = np.inf
NAN = np.nan


def risk_contributions(weights: list[float] | np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Each member's share of portfolio variance, w_i (cov w)_i / w'cov w; sums to 1."""
    w = np.asarray(weights, dtype=float)
    marginal = np.asarray(cov, dtype=float) @ w
    return w * marginal / float(w @ marginal)


def assert_weights(actual: np.ndarray, expected: list[float]) -> None:
    np.testing.assert_allclose(actual, np.array(expected), rtol=0, atol=1e-9)


def covariance(vols: list[float], corr: list[list[float]]) -> np.ndarray:
    v = np.array(vols)
    return np.array(corr) * np.outer(v, v)


# Two blocks, {0, 1} with rho 0.5 and {2, 3} with rho 0.6, uncorrelated with each other.
BLOCKS = covariance(
    [0.2, 0.3, 0.1, 0.4],
    [[1.0, 0.5, 0.0, 0.0], [0.5, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.6], [0.0, 0.0, 0.6, 1.0]],
)
FOUR = covariance(
    [0.5, 0.8, 1.1, 0.3],
    [[1.0, 0.7, 0.2, -0.3], [0.7, 1.0, 0.4, 0.1], [0.2, 0.4, 1.0, 0.5], [-0.3, 0.1, 0.5, 1.0]],
)


class TestWaterFill:
    def test_one_member_pinned_at_the_top(self) -> None:
        # 50 -> 40; the other 60 split 30:10:5:5 with lam 60 / 50 = 1.2
        assert_weights(water_fill([50, 30, 10, 5, 5], 5, 40), [40, 36, 12, 6, 6])

    def test_pinning_one_pushes_another_to_the_top(self) -> None:
        # round 1: 50 -> 40, lam 1.2 puts 35 at 42 > 40; round 2: 20 over 10:5, lam 4/3
        assert_weights(water_fill([50, 35, 10, 5], 0, 40), [40, 40, 40 / 3, 20 / 3])

    def test_min_bound_binds_over_two_rounds(self) -> None:
        # round 1: 6, 4 -> 10; 80 over 80:10 gives 10 * 8/9 < 10; round 2: 70 over 80 alone
        assert_weights(water_fill([80, 10, 6, 4], 10, 100), [70, 10, 10, 10])

    def test_unconstrained_is_plain_proportional(self) -> None:
        assert_weights(water_fill([3, 1], 0, INF), [75, 25])

    def test_all_zero_raw_is_equal(self) -> None:
        assert_weights(water_fill([0, 0, 0, 0], 0, 100), [25, 25, 25, 25])

    def test_zero_raw_member_stays_at_its_lower_bound(self) -> None:
        assert_weights(water_fill([3, 1, 0], 10, 100), [67.5, 22.5, 10])

    def test_zero_raw_members_share_what_capped_members_cannot_take(self) -> None:
        assert_weights(water_fill([1, 0, 0], 10, 60), [60, 20, 20])

    def test_lower_bounds_summing_to_total_are_the_answer(self) -> None:
        assert_weights(water_fill(np.arange(1, 11), 10, 50), [10] * 10)

    def test_per_member_bounds(self) -> None:
        # lam 25: member 0 lifted to its 30 floor, member 1 cut to its 20 cap, 25 for the rest
        w = water_fill([1, 1, 1, 1], [30, 0, 0, 0], [INF, 20, INF, INF])
        assert_weights(w, [30, 20, 25, 25])

    def test_other_total(self) -> None:
        assert_weights(water_fill([2, 1, 1], 0, 0.4, total=1.0), [0.4, 0.3, 0.3])

    def test_one_lambda_for_every_free_member(self) -> None:
        raw = np.random.default_rng(5).uniform(0, 1, 9) ** 3
        w = water_fill(raw, 4, 20)
        free = (w > 4 + 1e-9) & (w < 20 - 1e-9)
        ratios = w[free] / raw[free]
        assert free.sum() >= 2
        np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)
        lam = ratios[0]
        assert_weights(w, np.clip(lam * raw, 4, 20).tolist())

    def test_sums_to_total_within_1e_9(self) -> None:
        rng = np.random.default_rng(9)
        for _ in range(50):
            raw = rng.exponential(size=10)
            w = water_fill(raw, 2.0, rng.uniform(10.5, 60.0))
            assert abs(w.sum() - 100.0) <= 1e-9

    def test_negative_raw_raises(self) -> None:
        with pytest.raises(ValueError, match="non-negative"):
            water_fill([1, -1], 0, 100)

    def test_nan_raw_raises(self) -> None:
        with pytest.raises(ValueError, match="finite"):
            water_fill([1, NAN], 0, 100)

    def test_bound_of_wrong_length_raises(self) -> None:
        with pytest.raises(ValueError, match="shape"):
            water_fill([1, 1, 1], 0, [50, 50])


class TestInfeasibleWeights:
    def test_too_many_members_for_the_min(self) -> None:
        with pytest.raises(InfeasibleWeights, match="11 members x min 10% = 110% > 100%") as err:
            water_fill(np.ones(11), 10, 100)
        assert err.value.cap == MIN_POSITION_WEIGHT

    def test_too_few_members_for_the_max(self) -> None:
        with pytest.raises(InfeasibleWeights, match="3 members x max 30% = 90% < 100%") as err:
            water_fill(np.ones(3), 0, 30)
        assert err.value.cap == MAX_POSITION_WEIGHT

    def test_liquidity_caps_that_leave_too_little_room(self) -> None:
        # 3 x 40% = 120% fits, min(40, [40, 20, 30]) = 90% does not
        with pytest.raises(InfeasibleWeights, match="90% < 100%") as err:
            water_fill(np.ones(3), 0, 40, liquidity_upper=[40, 20, 30])
        assert err.value.cap == LIQUIDITY_CAP

    def test_max_is_reported_when_it_binds_without_liquidity(self) -> None:
        with pytest.raises(InfeasibleWeights) as err:
            water_fill(np.ones(3), 0, 30, liquidity_upper=[10, 10, 10])
        assert err.value.cap == MAX_POSITION_WEIGHT

    def test_liquidity_cap_below_the_min(self) -> None:
        with pytest.raises(InfeasibleWeights, match=r"member 1: .* 3% < min 5%") as err:
            water_fill(np.ones(3), 5, 50, liquidity_upper=[INF, 3, INF])
        assert err.value.cap == LIQUIDITY_CAP

    def test_is_a_value_error(self) -> None:
        assert issubclass(InfeasibleWeights, ValueError)


class TestEqualWeights:
    def test_three_members(self) -> None:
        assert_weights(equal_weights(3), [100 / 3] * 3)

    def test_no_members(self) -> None:
        assert equal_weights(0).shape == (0,)


class TestScoreWeights:
    def test_proportional_to_scores(self) -> None:
        assert_weights(score_weights([60, 30, 10]), [60, 30, 10])

    def test_scale_free(self) -> None:
        assert_weights(score_weights([2, 1, 1]), [50, 25, 25])

    def test_all_zero_scores_are_equal(self) -> None:
        assert_weights(score_weights([0, 0]), [50, 50])

    def test_negative_score_raises(self) -> None:
        with pytest.raises(ValueError, match="non-negative"):
            score_weights([1, -1])


class TestScoreSquaredWeights:
    def test_proportional_to_squared_scores(self) -> None:
        assert_weights(score_squared_weights([60, 30, 10]), [3600 / 46, 900 / 46, 100 / 46])

    def test_all_zero_scores_are_equal(self) -> None:
        assert_weights(score_squared_weights([0, 0, 0, 0]), [25, 25, 25, 25])


class TestRankWeights:
    def test_proportional_to_rank_not_to_gaps(self) -> None:
        assert_weights(rank_weights([90, 10, 11]), [50, 100 / 6, 200 / 6])
        assert_weights(rank_weights([90, 10, 89]), [50, 100 / 6, 200 / 6])

    def test_ties_share_their_mean_rank(self) -> None:
        # ranks 1, 2.5, 2.5, 4 of a total of 10
        assert_weights(rank_weights([5, 7, 7, 9]), [10, 25, 25, 40])

    def test_no_members(self) -> None:
        assert rank_weights([]).shape == (0,)


class TestInverseVolatilityWeights:
    def test_three_members(self) -> None:
        # 1/vol = 10, 5, 2.5 of 17.5
        assert_weights(inverse_volatility_weights([0.1, 0.2, 0.4]), [400 / 7, 200 / 7, 100 / 7])

    @pytest.mark.parametrize("bad", [0.0, -0.1, NAN, INF])
    def test_non_positive_or_non_finite_volatility_raises(self, bad: float) -> None:
        with pytest.raises(ValueError, match="positive"):
            inverse_volatility_weights([0.1, bad])


class TestRiskParityWeights:
    def test_risk_contributions_equal_on_4x4(self) -> None:
        rc = risk_contributions(risk_parity_weights(FOUR), FOUR)
        np.testing.assert_allclose(rc, 0.25, rtol=1e-9, atol=0)

    def test_sum_to_100_and_positive(self) -> None:
        w = risk_parity_weights(FOUR)
        assert w.sum() == pytest.approx(100.0, abs=1e-9)
        assert (w > 0).all()

    def test_diagonal_covariance_gives_inverse_volatility(self) -> None:
        vols = [0.1, 0.2, 0.4]
        assert_weights(risk_parity_weights(np.diag(np.square(vols))), [400 / 7, 200 / 7, 100 / 7])

    def test_two_members_are_inverse_volatility_whatever_the_correlation(self) -> None:
        # w1 s1 (w1 s1 + rho w2 s2) = w2 s2 (w2 s2 + rho w1 s1) forces w1 s1 = w2 s2
        cov = covariance([0.2, 0.6], [[1.0, 0.7], [0.7, 1.0]])
        assert_weights(risk_parity_weights(cov), [75, 25])

    def test_invariant_to_scaling_the_covariance(self) -> None:
        assert_weights(risk_parity_weights(FOUR * 1e-4), risk_parity_weights(FOUR).tolist())

    def test_single_member(self) -> None:
        assert_weights(risk_parity_weights([[0.04]]), [100])

    def test_singular_covariance_raises(self) -> None:
        with pytest.raises(ValueError, match="positive definite"):
            risk_parity_weights(covariance([0.1, 0.2], [[1.0, -1.0], [-1.0, 1.0]]))


class TestHrpWeights:
    def test_two_blocks_split_by_inverse_cluster_variance(self) -> None:
        # Inside a block inverse variance: {0, 1} 9/13, 4/13; {2, 3} 16/17, 1/17. Block variances
        # under those mixes: (81*.04 + 16*.09 + 2*36*.03) / 169, (256*.01 + .16 + 2*16*.024) / 289
        var_a, var_b = 6.84 / 169, 3.488 / 289
        share_a = var_b / (var_a + var_b)
        expected = [
            100 * share_a * 9 / 13,
            100 * share_a * 4 / 13,
            100 * (1 - share_a) * 16 / 17,
            100 * (1 - share_a) * 1 / 17,
        ]
        assert_weights(hrp_weights(BLOCKS), expected)

    def test_positive_and_sum_to_100(self) -> None:
        w = hrp_weights(FOUR)
        assert (w > 0).all()
        assert w.sum() == pytest.approx(100.0, abs=1e-9)

    def test_interleaved_members_are_clustered_first(self) -> None:
        order = [0, 2, 1, 3]
        shuffled = hrp_weights(BLOCKS[np.ix_(order, order)])
        assert_weights(shuffled, hrp_weights(BLOCKS)[order].tolist())

    def test_diagonal_covariance_gives_inverse_variance(self) -> None:
        # 1/var = 100, 25, 6.25 of 131.25
        expected = [100 / 1.3125, 25 / 1.3125, 6.25 / 1.3125]
        assert_weights(hrp_weights(np.diag([0.01, 0.04, 0.16])), expected)

    def test_single_member(self) -> None:
        assert_weights(hrp_weights([[0.04]]), [100])


class TestRiskContributions:
    def test_hand_example(self) -> None:
        # cov w = [2, 0.5], w * cov w = [100, 25] of 125
        rc = risk_contributions([50, 50], np.diag([0.04, 0.01]))
        np.testing.assert_allclose(rc, [0.8, 0.2], rtol=0, atol=1e-15)

    def test_sum_to_one(self) -> None:
        assert risk_contributions([10, 20, 30, 40], FOUR).sum() == pytest.approx(1.0, abs=1e-15)


class TestLiquidityUpperBounds:
    def test_share_of_depth_over_balance(self) -> None:
        # 250k * 0.1 / 100k = 25%; 2M * 0.1 / 100k = 200%
        bounds = liquidity_upper_bounds(np.array([250_000, 2_000_000]), 100_000, 0.1)
        assert_weights(bounds, [25, 200])

    def test_unknown_depth_is_uncapped(self) -> None:
        assert liquidity_upper_bounds(np.array([NAN]), 100_000, 0.1)[0] == INF

    def test_non_positive_balance_raises(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            liquidity_upper_bounds(np.array([1.0]), 0.0, 0.1)


SCORES = [90.0, 80.0, 40.0, 20.0, 10.0, 5.0]
VOLS = [0.9, 0.2, 0.3, 0.5, 1.2, 0.4]
COV6 = covariance(VOLS, (np.full((6, 6), 0.3) + 0.7 * np.eye(6)).tolist())


class TestCalculateWeights:
    @pytest.mark.parametrize("method", METHODS)
    def test_every_method_respects_the_caps(self, method: str) -> None:
        w = calculate_weights(
            method, scores=SCORES, volatilities=VOLS, covariance=COV6, min_weight=5, max_weight=30
        )
        assert w.sum() == pytest.approx(100.0, abs=0.01)
        assert (w >= 5 - 1e-9).all()
        assert (w <= 30 + 1e-9).all()

    def test_score_caps_bind_at_both_ends(self) -> None:
        w = calculate_weights("score", scores=SCORES, min_weight=5, max_weight=30)
        assert w[0] == pytest.approx(30.0, abs=1e-9)
        assert w[-1] == pytest.approx(5.0, abs=1e-9)

    def test_liquidity_cap_cuts_a_weight_and_redistributes(self) -> None:
        # 50k * 0.02 / 10k = 10%; the other three share the 90% left
        cap = liquidity_upper_bounds(np.array([50_000, NAN, NAN, NAN]), 10_000, 0.02)
        w = calculate_weights(
            "equal", scores=[1, 1, 1, 1], min_weight=0, max_weight=40, liquidity_upper=cap
        )
        assert_weights(w, [10, 30, 30, 30])

    def test_infeasible_liquidity_names_the_liquidity_cap(self) -> None:
        with pytest.raises(InfeasibleWeights) as err:
            calculate_weights(
                "inverse_volatility",
                volatilities=[0.1, 0.2, 0.3],
                min_weight=0,
                max_weight=50,
                liquidity_upper=np.array([20.0, 20.0, 50.0]),
            )
        assert err.value.cap == LIQUIDITY_CAP

    def test_no_members_give_an_empty_array(self) -> None:
        assert calculate_weights("score", scores=[], min_weight=5, max_weight=30).shape == (0,)

    def test_single_member_takes_everything(self) -> None:
        assert_weights(
            calculate_weights("hrp", covariance=[[0.04]], min_weight=5, max_weight=100), [100]
        )

    def test_single_member_under_a_lower_max_is_infeasible(self) -> None:
        with pytest.raises(InfeasibleWeights) as err:
            calculate_weights("equal", scores=[1], min_weight=5, max_weight=50)
        assert err.value.cap == MAX_POSITION_WEIGHT

    def test_single_member_under_a_liquidity_cap_is_infeasible(self) -> None:
        with pytest.raises(InfeasibleWeights) as err:
            calculate_weights(
                "equal", scores=[1], min_weight=5, max_weight=100, liquidity_upper=[60.0]
            )
        assert err.value.cap == LIQUIDITY_CAP

    def test_unknown_method_raises(self) -> None:
        with pytest.raises(ValueError, match="unknown weighting method"):
            calculate_weights("momentum", scores=SCORES, min_weight=0, max_weight=100)

    def test_missing_input_raises(self) -> None:
        with pytest.raises(ValueError, match="needs covariance"):
            calculate_weights("risk_parity", scores=SCORES, min_weight=0, max_weight=100)
