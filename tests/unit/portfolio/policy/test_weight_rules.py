"""Weights in percent with 4 decimals: they sum to exactly 100 and rounding never lifts one over
a cap the exact weights respected (it once did in 120 of 3 000 random cases)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from app.portfolio.maths.weighting import calculate_weights
from app.portfolio.policy.weight_rules import to_percent


def test_rounding_keeps_every_weight_within_its_cap_in_3000_random_cases() -> None:
    rng = np.random.default_rng(20261123)
    checked = 0
    while checked < 3000:
        n = int(rng.integers(2, 11))
        low, high = float(rng.choice([0, 1, 2, 5])), float(rng.choice([20, 25, 30, 35, 40, 50]))
        liquidity = rng.uniform(5, 60, n) if rng.random() < 0.5 else None
        upper = np.full(n, high) if liquidity is None else np.minimum(high, liquidity)
        if n * low > 100 or upper.sum() < 100 or (np.maximum(upper, low) < low).any():
            continue
        method = str(rng.choice(["score", "score_squared", "rank", "equal"]))
        exact = calculate_weights(
            method,
            scores=rng.uniform(0, 100, n),
            min_weight=low,
            max_weight=high,
            liquidity_upper=liquidity,
        )
        rounded = to_percent(exact, upper)
        assert sum(rounded) == Decimal(100)
        assert all(w <= Decimal(repr(float(u))) for w, u in zip(rounded, upper, strict=True))
        checked += 1


def test_a_weight_at_its_cap_gets_no_rounding_step_while_another_has_room() -> None:
    exact = np.array([33.33335, 33.33335, 33.3333])
    rounded = to_percent(exact, upper=np.array([33.33335, 50.0, 50.0]))
    assert rounded == [Decimal("33.3333"), Decimal("33.3334"), Decimal("33.3333")]


def test_several_steps_may_go_to_one_member_with_room() -> None:
    exact = np.array([10.00009, 10.00009, 79.99982])
    rounded = to_percent(exact, upper=np.array([10.00009, 10.00009, 80.0]))
    assert rounded == [Decimal("10.0000"), Decimal("10.0000"), Decimal("80.0000")]
