"""The session rule's median (`app.market.contracts.session_maths.median`): numpy's
`nanmedian` of each row, to the bit, on tables of every shape the rule reads (fewer and more
than the 600 columns where numpy changes method), with rows empty, partly and wholly missing."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from app.market.contracts.session_maths import median


def nanmedian_by_row(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a row with no value: NaN, said once
        return np.array([np.nanmedian(row) if row.size else np.nan for row in values])


@pytest.mark.parametrize("columns", [0, 1, 2, 3, 24, 599, 601, 1344])
@pytest.mark.parametrize("seed", range(5))
def test_each_row_is_nanmedians_to_the_bit(columns: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = 30
    values = rng.lognormal(-5, 2, (rows, columns)) * rng.choice([-1.0, 1.0], (rows, columns))
    values[rng.random((rows, columns)) < rng.random()] = np.nan  # missing hours
    values[rng.random((rows, columns)) < 0.01] = np.inf  # a range over a zero low
    if columns:
        values[0] = np.nan  # a contract with no candle in the window
        values[1, 1:] = np.nan  # one candle
    np.testing.assert_array_equal(median(values), nanmedian_by_row(values), strict=True)


def test_a_table_without_rows_has_no_median() -> None:
    assert median(np.empty((0, 24))).shape == (0,)
