"""A configuration's windows against the candles a scoring run fetches: each window that reads
more is named with the largest value that fits, read off the components' own count."""

from __future__ import annotations

from decimal import Decimal

from app.scoring.run_config import DEFAULT_ALGORITHMS
from app.scoring.scorers.components import candles_needed
from app.scoring.scorers.parameters import ParameterProblem, weights_problem
from app.scoring.scorers.windows import fetched_problem, longest_window, window_problems

DEFAULTS = {name: dict(params) for name, (_, params) in DEFAULT_ALGORITHMS.items()}


def named(problems: list[ParameterProblem]) -> dict[str, object]:
    """Each problem's dotted path, and the value there."""
    return {".".join(map(str, p.path)): p.value for p in problems}


class TestWindowProblems:
    def test_the_default_algorithm_fits_the_default_candles(self) -> None:
        for name, params in DEFAULTS.items():
            assert window_problems(name, params, 721) == []
        assert longest_window(DEFAULTS) == (721, "technical.momentum_hours.2")
        assert candles_needed(DEFAULTS) == 721  # the components' own count, the same

    def test_a_window_too_long_is_named_with_the_largest_that_fits(self) -> None:
        [problem] = window_problems("risk", {"volatility_window": 2160}, 500)
        assert (problem.path, problem.value) == (("volatility_window",), 2160)
        assert problem.message.startswith("must be at most 499 while scoring_candles is 500")
        assert problem.text.endswith(", not 2160")

    def test_entries_of_lists_and_tuples_are_named_by_their_place(self) -> None:
        technical = {**DEFAULTS["technical"], "momentum_hours": [72, 900], "macd": [12, 800, 9]}
        assert named(window_problems("technical", technical, 721)) == {
            "macd.1": 800,
            "momentum_hours.1": 900,
        }
        fundamental = {"volume_growth_windows_d": [7, 60]}
        [problem] = window_problems("fundamental", fundamental, 721)
        assert problem.path == ("volume_growth_windows_d", 1)
        assert problem.message.startswith("must be at most 30 ")  # days of 24 candles

    def test_windows_that_only_add_up_too_long_are_each_named(self) -> None:
        trend = {"version": 1, "trend_ema": 400, "trend_lookback": 400}
        assert named(window_problems("technical", trend, 721)) == {
            "trend_ema": 400,
            "trend_lookback": 400,
        }

    def test_only_the_parameters_a_change_sets_are_held_to_it(self) -> None:
        stored = {"volatility_window": 2160, "benchmark": "BTCUSDT"}
        assert window_problems("risk", stored, 721, only={"benchmark"}) == []
        assert named(window_problems("risk", stored, 721, only={"volatility_window"})) == {
            "volatility_window": 2160
        }

    def test_values_outside_their_declaration_are_left_to_it(self) -> None:
        assert window_problems("risk", {"volatility_window": "a week"}, 721) == []
        assert window_problems("fundamental", {"volume_growth_windows_d": [7]}, 721) == []


class TestFetched:
    def test_scoring_candles_under_the_longest_window_is_named_with_it(self) -> None:
        assert fetched_problem(DEFAULTS, 721) is None
        assert fetched_problem(DEFAULTS, 500) == (
            "must be at least 721: the longest window, technical.momentum_hours.2, reads 721 "
            "hourly candles"
        )


class TestWeights:
    def test_active_weights_sum_to_one_to_the_stored_decimals(self) -> None:
        assert weights_problem({"risk": Decimal("1.0000")}) is None
        assert weights_problem({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) is None
        assert weights_problem({"a": 0.0, "b": 0.0}) == (
            "active component weights must sum to 1; they would sum to 0.0000"
        )
        assert weights_problem({"a": Decimal("0.5"), "b": Decimal("0.4999")}) is not None
