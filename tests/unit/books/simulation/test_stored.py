"""`stored`: composites as a run keeps them, `as_stored` of each to the bit, half steps and
scores outside 0-100 included."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.books.simulation.decision_context import stored
from app.scoring.scorers.composite import as_stored


def same_bits(got: list[float], scores: np.ndarray) -> bool:
    want = [as_stored(x) for x in scores.tolist()]
    return all(
        a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
        for a, b in zip(got, want, strict=True)
    )


@pytest.mark.parametrize("seed", range(4))
def test_uniform_scores_are_rounded_as_stored(seed: int) -> None:
    scores = np.random.default_rng(seed).uniform(0.0, 100.0, 50_000)
    assert same_bits(stored(scores), scores)


@pytest.mark.parametrize("toward", [0.0, 200.0])
def test_half_steps_and_their_neighbours_are_rounded_as_stored(toward: float) -> None:
    steps = np.random.default_rng(7).integers(0, 1_000_000, 50_000)
    halves = (steps + 0.5) / 1e4  # the nearest doubles to x.xxxx5, each side of it
    scores = np.clip(np.concatenate([halves, np.nextafter(halves, toward)]), 0.0, 100.0)
    assert same_bits(stored(scores), scores)


def test_edges_and_scores_outside_the_scale() -> None:
    edges = np.array([0.0, -0.0, 100.0, 5e-5, 1.5e-4, 2.675, 1e-300, 99.99995])
    assert same_bits(stored(edges), edges)
    assert stored(np.array([-3.0, 12.34567, 150.0])) == [0.0, 12.3457, 100.0]
    assert stored(np.zeros(0)) == []
