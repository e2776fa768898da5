"""Rank correlations gathered in batches are `evidence.spearman` of each pair, to the bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.replay import spearman
from app.replay.evidence import spearman as one_pair
from app.replay.spearman import SpearmanBatch


def matrices(rng: np.random.Generator, k: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    scores = np.round(rng.normal(size=(k, m)), 1)  # with ties
    scores[0, rng.random(m) < 0.2] = np.nan  # a row with gaps
    scores[1] = np.nan  # never measured
    scores[2] = 50.0  # constant
    scores[3, 2:] = np.nan  # too few values
    scores[4, 0] = np.inf
    targets = rng.normal(size=(2, m))
    targets[1, rng.random(m) < 0.1] = np.nan
    return scores, targets


def expected(scores: np.ndarray, targets: np.ndarray) -> list[list[float]]:
    return [[one_pair(row, target) for row in scores] for target in targets]


def same(got: np.ndarray, want: list[list[float]]) -> bool:
    return all(
        (math.isnan(a) and math.isnan(b)) or a == b
        for g, w in zip(got.tolist(), want, strict=True)
        for a, b in zip(g, w, strict=True)
    )


class TestSpearmanBatch:
    def test_every_pair_is_evidence_spearman(self) -> None:
        rng, batch = np.random.default_rng(4), SpearmanBatch()
        added = [matrices(rng, 9, int(m)) for m in rng.integers(3, 60, 25)]
        for scores, targets in added:
            batch.add(scores, targets)
        results = batch.results()
        assert len(results) == len(added)
        for got, (scores, targets) in zip(results, added, strict=True):
            assert same(got, expected(scores, targets))

    @pytest.mark.parametrize("gaps", ["none", "the same", "different"])
    def test_targets_with_the_same_or_other_gaps(self, gaps: str) -> None:
        rng, batch = np.random.default_rng(6), SpearmanBatch()
        added = []
        for m in (8, 30, 31):
            scores, targets = matrices(rng, 6, m)
            targets = rng.normal(size=(3, m))
            if gaps != "none":
                targets[:, rng.random(m) < 0.2] = np.nan
            if gaps == "different":
                targets[1, 0] = np.nan if np.isfinite(targets[1, 0]) else 1.0
            added.append((scores, targets))
            batch.add(scores, targets)
        for got, (scores, targets) in zip(batch.results(), added, strict=True):
            assert same(got, expected(scores, targets))

    def test_batches_of_any_size_agree(self, monkeypatch: pytest.MonkeyPatch) -> None:
        rng = np.random.default_rng(5)
        added = [matrices(rng, 7, 20) for _ in range(12)]
        whole = SpearmanBatch()
        for scores, targets in added:
            whole.add(scores, targets)
        monkeypatch.setattr(spearman, "FLUSH_ELEMENTS", 150)  # a batch every one or two
        pieces = SpearmanBatch()
        for scores, targets in added:
            pieces.add(scores, targets)
        for a, b in zip(whole.results(), pieces.results(), strict=True):
            np.testing.assert_array_equal(a, b)
