"""A book's alpha and beta against closed forms, and the Wilson interval of a hit rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.stats.skill import Z95, regression, wilson

PER_YEAR = 365.0  # daily decisions


def orthogonal_noise(universe: np.ndarray, seed: int = 3) -> np.ndarray:
    """Noise with zero mean and no covariance with `universe` (OLS attributes none of it)."""
    x = np.column_stack([np.ones(universe.size), universe])
    e = np.random.default_rng(seed).normal(0, 0.004, universe.size)
    return e - x @ np.linalg.lstsq(x, e, rcond=None)[0]


class TestRegression:
    universe = np.random.default_rng(1).normal(0.0, 0.03, 200)

    def test_a_planted_skill_with_beta_one_is_alpha(self) -> None:
        noise = orthogonal_noise(self.universe)
        book = self.universe + 0.002 + noise
        figures = regression(book, self.universe, PER_YEAR)
        dx = self.universe - self.universe.mean()
        se = math.sqrt(
            float(noise @ noise) / 198 * (1 / 200 + self.universe.mean() ** 2 / float(dx @ dx))
        )
        assert figures["n"] == 200
        assert figures["alpha"] == pytest.approx(0.002, abs=1e-12)
        assert figures["beta"] == pytest.approx(1.0, abs=1e-12)
        assert figures["alpha_annualised"] == pytest.approx(0.002 * 365, abs=1e-9)
        # The report keeps 10 decimals.
        assert figures["alpha_se"] == pytest.approx(se, abs=1e-10)
        assert figures["alpha_t"] == pytest.approx(0.002 / se, rel=1e-8)
        assert figures["alpha_interval"] == pytest.approx(
            [0.002 - Z95 * se, 0.002 + Z95 * se], abs=1e-9
        )
        active = 0.002 + noise  # book - universe
        tracking = float(np.std(active, ddof=1)) * math.sqrt(365)
        assert figures["active_return"] == pytest.approx(0.002 * 365, abs=1e-9)
        assert figures["tracking_error"] == pytest.approx(tracking, rel=1e-8)
        assert figures["information_ratio"] == pytest.approx(0.002 * 365 / tracking, rel=1e-8)

    def test_pure_beta_has_no_alpha(self) -> None:
        book = 1.5 * self.universe + orthogonal_noise(self.universe)
        figures = regression(book, self.universe, PER_YEAR)
        assert figures["alpha"] == pytest.approx(0.0, abs=1e-12)
        assert figures["beta"] == pytest.approx(1.5, abs=1e-12)
        assert abs(figures["alpha_t"]) < 1e-6
        # Beta is not skill, yet it moves the active return: what alpha corrects for.
        assert figures["active_return"] == pytest.approx(0.5 * self.universe.mean() * 365)

    def test_unknown_periods_are_left_out_and_too_few_give_none(self) -> None:
        book = self.universe + 0.001
        book[::2] = np.nan
        assert regression(book, self.universe, PER_YEAR)["n"] == 100
        few = regression(self.universe[:2], self.universe[:2], PER_YEAR)
        assert few["n"] == 2 and few["alpha"] is None and few["beta"] is None


class TestWilson:
    def test_eight_of_ten(self) -> None:
        assert wilson(8, 10) == pytest.approx([0.4902, 0.9433], abs=1e-4)

    def test_none_and_all(self) -> None:
        assert wilson(0, 2) == pytest.approx([0.0, 0.6576], abs=1e-4)
        assert wilson(5, 5) == pytest.approx([0.5655, 1.0], abs=1e-4)
        assert wilson(0, 0) == [None, None]
