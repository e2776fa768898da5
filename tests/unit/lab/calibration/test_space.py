"""The search space and the folds: the simplex grid, a choice written as the replay's --config
document, and walk-forward windows that never overlap or look back."""

from __future__ import annotations

import itertools

import pytest

from app.books.replay_config import default_run_config, policy_config
from app.configuration.registry import DEFAULTS
from app.lab.calibration.folds import FoldError, walk_forward
from app.lab.calibration.space import Choice, SearchSpace, simplex
from app.platform.core.units import HOUR_MS
from app.records.keeping.family import WEIGHED

BASE = policy_config(default_run_config(), DEFAULTS)
DAY = 24 * HOUR_MS


class TestSimplex:
    def test_quarters_over_four_components(self) -> None:
        grid = list(simplex(WEIGHED, 0.25))
        assert len(grid) == 35  # C(4 + 3, 3)
        assert all(sum(p.values()) == pytest.approx(1.0) for p in grid)
        assert all(v in (0.0, 0.25, 0.5, 0.75, 1.0) for p in grid for v in p.values())
        assert len({tuple(p.values()) for p in grid}) == 35

    def test_halves_over_two(self) -> None:
        assert list(simplex(("a", "b"), 0.5)) == [
            {"a": 0.0, "b": 1.0},
            {"a": 0.5, "b": 0.5},
            {"a": 1.0, "b": 0.0},
        ]


class TestChoice:
    def test_the_written_choice_configures_the_replay_as_applied(self) -> None:
        choice = Choice(
            weights={"technical": 0.0, "fundamental": 0.75, "market_structure": 0.0, "risk": 0.25},
            metrics_off={"fundamental": ("volume_growth",), "risk": ("max_drawdown",)},
            weighting_method="equal",
            margin=10.0,
            confirmation_hours=48.0,
            min_holding_hours=72.0,
        )
        applied = choice.apply(BASE)
        assert policy_config(default_run_config(), DEFAULTS, choice.overrides()) == applied
        assert Choice.of(applied) == choice

    def test_the_default_choice_changes_nothing(self) -> None:
        assert Choice.of(BASE).apply(BASE) == BASE

    def test_the_space_counts_its_hysteresis_grid(self) -> None:
        space = SearchSpace()
        combos = list(space.hysteresis())
        assert len(combos) == len(space.margins) * len(space.confirmation_hours) * len(
            space.min_holding_hours
        )


class TestFolds:
    def test_test_windows_follow_their_training_and_never_overlap(self) -> None:
        folds = walk_forward(0, 200 * DAY, train_h=120 * 24, test_h=30 * 24, every_h=24)
        assert [(f.test_start_ms // DAY, f.test_end_ms // DAY) for f in folds] == [
            (120, 150),
            (150, 180),
            (180, 200),  # the last one ends with the range
        ]
        for f in folds:
            assert f.test_start_ms - f.train_start_ms == 120 * DAY
            assert max(f.train_times(24)) < f.test_start_ms < f.test_end_ms
        for a, b in itertools.pairwise(folds):
            assert a.test_end_ms == b.test_start_ms

    @pytest.mark.parametrize(
        ("train_h", "test_h", "every_h", "end_days"),
        [(120 * 24, 30 * 24, 7 * 24, 200), (0, 30 * 24, 24, 200), (120 * 24, 30 * 24, 24, 120)],
    )
    def test_windows_that_do_not_fit_are_refused(
        self, train_h: int, test_h: int, every_h: int, end_days: int
    ) -> None:
        with pytest.raises(FoldError):
            walk_forward(0, end_days * DAY, train_h=train_h, test_h=test_h, every_h=every_h)
