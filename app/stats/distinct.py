"""Sorted distinct values, without the masked-array module `np.unique` imports.

`np.unique(a)` asked for none of its optional outputs first asks `np.ma.is_masked(a)`, and the
first such call in a process imports numpy.ma: about 1 MB held for good by a process that never
uses a masked array (issue 84; the service's own process classes contracts and weighs the
portfolio with it)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def distinct(values: npt.ArrayLike) -> np.ndarray:
    """`np.unique(values)`: the sorted distinct values, NaNs collapsed into one. Asked with its
    counts (then dropped), which skips the masked-array check."""
    found, _ = np.unique(values, return_counts=True)
    return found
