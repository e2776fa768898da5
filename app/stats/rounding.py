"""How reports keep a figure: rounded to 10 decimals, None where it is undefined."""

from __future__ import annotations

import math


def rounded(value: float) -> float | None:
    """A figure as reports keep it: 10 decimals, None when undefined."""
    return None if not math.isfinite(value) else round(value, 10)
