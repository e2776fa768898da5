"""Ledoit-Wolf shrunk covariance and correlations, checked against hand-computed examples."""

from __future__ import annotations

import numpy as np
import pytest

from app.portfolio.maths.covariance import (
    checked_covariance,
    correlation_from_covariance,
    ledoit_wolf,
    shrunk_covariance,
)

NAN = np.nan

# Six demeaned rows: S = [[2, 2/3], [2/3, 1]], mu = 3/2, d2 = 25/36, b2 = 23/54, delta = 46/75.
HAND_ROWS = np.array([[2, 1], [-2, -1], [1, -1], [-1, 1], [1, 1], [-1, -1]], dtype=float)


def reference_ledoit_wolf(returns: np.ndarray) -> tuple[np.ndarray, float]:
    """The paper's formulas written out term by term, one period at a time."""
    x = returns - returns.mean(axis=0)
    t, n = x.shape
    identity = np.eye(n)
    sample = sum(np.outer(row, row) for row in x) / t
    mu = np.trace(sample) / n
    d2 = np.linalg.norm(sample - mu * identity, "fro") ** 2 / n
    b2_bar = sum(np.linalg.norm(np.outer(row, row) - sample, "fro") ** 2 / n for row in x) / t**2
    delta = min(b2_bar, d2) / d2
    return delta * mu * identity + (1 - delta) * sample, float(delta)


def correlated_returns(t: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vols = np.array([0.01, 0.02, 0.015, 0.03])
    corr = np.array(
        [
            [1.0, 0.6, 0.3, 0.1],
            [0.6, 1.0, 0.4, 0.2],
            [0.3, 0.4, 1.0, 0.5],
            [0.1, 0.2, 0.5, 1.0],
        ]
    )
    chol = np.linalg.cholesky(corr * np.outer(vols, vols))
    return rng.standard_normal((t, vols.size)) @ chol.T


class TestLedoitWolf:
    def test_hand_example_shrinks_by_46_over_75(self) -> None:
        cov, delta = ledoit_wolf(HAND_ROWS)
        assert delta == pytest.approx(46 / 75, abs=1e-15)
        # delta * 3/2 * I + (29/75) * S
        expected = np.array([[127 / 75, 58 / 225], [58 / 225, 98 / 75]])
        np.testing.assert_allclose(cov, expected, rtol=0, atol=1e-15)

    def test_intensity_clips_at_one_to_the_scaled_identity(self) -> None:
        # S = [[2.5, 0.5], [0.5, 1]], mu = 1.75, d2 = 0.8125 < b2_bar = 0.84375
        cov, delta = ledoit_wolf(HAND_ROWS[:4])
        assert delta == 1.0
        np.testing.assert_allclose(cov, 1.75 * np.eye(2), rtol=0, atol=1e-15)

    def test_matches_an_independent_implementation(self) -> None:
        returns = np.random.default_rng(3).standard_normal((40, 5)) + np.arange(5)
        cov, delta = ledoit_wolf(returns)
        expected_cov, expected_delta = reference_ledoit_wolf(returns)
        np.testing.assert_allclose(cov, expected_cov, rtol=0, atol=1e-12)
        assert delta == pytest.approx(expected_delta, abs=1e-12)

    def test_matches_an_independent_implementation_at_return_scale(self) -> None:
        returns = correlated_returns(60)
        cov, delta = ledoit_wolf(returns)
        expected_cov, expected_delta = reference_ledoit_wolf(returns)
        np.testing.assert_allclose(cov, expected_cov, rtol=0, atol=1e-12 * np.abs(cov).max())
        assert delta == pytest.approx(expected_delta, abs=1e-12)

    def test_intensity_is_a_python_float_in_unit_interval(self) -> None:
        _, delta = ledoit_wolf(correlated_returns(30))
        assert type(delta) is float
        assert 0.0 < delta < 1.0

    def test_single_member_has_nothing_to_shrink(self) -> None:
        cov, delta = ledoit_wolf(np.array([[1.0], [2.0], [6.0]]))
        assert delta == 0.0
        np.testing.assert_allclose(cov, [[14 / 3]], rtol=0, atol=1e-15)  # divisor T = 3


class TestShrunkCovariance:
    def test_returns_the_matrix_of_ledoit_wolf(self) -> None:
        returns = correlated_returns(50)
        np.testing.assert_array_equal(shrunk_covariance(returns), ledoit_wolf(returns)[0])

    def test_symmetric_positive_definite_with_fewer_periods_than_members(self) -> None:
        returns = np.random.default_rng(11).standard_normal((5, 8))
        cov = shrunk_covariance(returns)
        np.testing.assert_array_equal(cov, cov.T)
        assert np.linalg.eigvalsh(cov).min() > 0
        assert np.linalg.matrix_rank(np.cov(returns, rowvar=False)) < 8  # sample S is singular

    def test_long_history_approaches_the_sample_covariance(self) -> None:
        returns = correlated_returns(20_000)
        cov, delta = ledoit_wolf(returns)
        assert delta < 0.01
        sample = np.cov(returns, rowvar=False, bias=True)
        np.testing.assert_allclose(cov, sample, rtol=0, atol=0.01 * np.abs(sample).max())

    def test_constant_column_gets_only_the_shrinkage_variance(self) -> None:
        returns = correlated_returns(30)
        returns[:, 2] = 0.004
        cov, delta = ledoit_wolf(returns)
        mu = np.trace(np.cov(returns, rowvar=False, bias=True)) / 4
        assert cov[2, 2] == pytest.approx(delta * mu, rel=1e-12)
        # The column mean of 0.004 is off in the last bit, so "zero" is ~1e-37 here.
        np.testing.assert_allclose(np.delete(cov[2], 2), 0.0, rtol=0, atol=1e-30)

    def test_rows_with_nan_are_dropped(self) -> None:
        returns = correlated_returns(20)
        gappy = np.insert(returns, [3, 10], [[NAN, 0.01, 0.02, 0.0], [0.01, 0.0, 0.0, NAN]], axis=0)
        np.testing.assert_array_equal(shrunk_covariance(gappy), shrunk_covariance(returns))

    def test_three_complete_rows_suffice(self) -> None:
        assert shrunk_covariance(correlated_returns(3)).shape == (4, 4)

    def test_fewer_than_three_complete_rows_raise(self) -> None:
        returns = correlated_returns(4)
        returns[1, 0] = NAN
        returns[3, 2] = NAN
        with pytest.raises(ValueError, match="at least 3"):
            shrunk_covariance(returns)

    def test_infinite_return_raises(self) -> None:
        returns = correlated_returns(10)
        returns[4, 1] = np.inf
        with pytest.raises(ValueError, match="infinities"):
            shrunk_covariance(returns)

    def test_one_dimensional_input_raises(self) -> None:
        with pytest.raises(ValueError, match="two-dimensional"):
            shrunk_covariance(np.ones(10))


class TestCorrelationFromCovariance:
    def test_hand_example(self) -> None:
        corr = correlation_from_covariance(np.array([[4.0, 2.0], [2.0, 9.0]]))
        np.testing.assert_allclose(corr, [[1.0, 1 / 3], [1 / 3, 1.0]], rtol=0, atol=1e-15)

    def test_zero_variance_member_is_uncorrelated(self) -> None:
        corr = correlation_from_covariance(np.diag([4.0, 0.0, 1.0]))
        np.testing.assert_array_equal(corr, np.eye(3))

    def test_rounding_beyond_one_is_clipped(self) -> None:
        corr = correlation_from_covariance(np.array([[1.0, 1.0 + 1e-15], [1.0 + 1e-15, 1.0]]))
        assert corr.max() == 1.0

    def test_non_square_raises(self) -> None:
        with pytest.raises(ValueError, match="square"):
            correlation_from_covariance(np.ones((2, 3)))


class TestCheckedCovariance:
    def test_is_made_exactly_symmetric(self) -> None:
        cov = checked_covariance(np.array([[1.0, 0.3], [0.3 + 1e-17, 2.0]]))
        np.testing.assert_array_equal(cov, cov.T)

    def test_asymmetric_raises(self) -> None:
        with pytest.raises(ValueError, match="symmetric"):
            checked_covariance(np.array([[1.0, 0.3], [0.2, 2.0]]))

    def test_zero_variance_raises(self) -> None:
        with pytest.raises(ValueError, match="positive variances"):
            checked_covariance(np.diag([1.0, 0.0]))
