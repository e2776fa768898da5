"""`distinct`: np.unique's values, without importing numpy.ma."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.stats.distinct import distinct

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "values",
    [
        np.array([3, 1, 2, 3, 1], dtype=np.int64),
        np.array([0.5, np.nan, -1.0, 0.5, np.nan, np.inf]),
        np.array([[2.0, 1.0], [1.0, 4.0]]),
        np.array([], dtype=float),
    ],
)
def test_the_values_of_np_unique(values: np.ndarray) -> None:
    found = distinct(values)
    np.testing.assert_array_equal(found, np.unique(values))
    assert found.dtype == values.dtype


def test_a_process_that_asks_it_holds_no_masked_arrays() -> None:
    probe = (
        "import sys, numpy as np\nfrom app.stats.distinct import distinct\n"
        "distinct(np.array([2.0, 1.0, 2.0]))\nprint('numpy.ma' in sys.modules)\n"
        "np.unique(np.array([2.0, 1.0]))\nprint('numpy.ma' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True"]  # np.unique itself still imports it
