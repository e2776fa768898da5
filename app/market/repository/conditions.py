"""A query condition no index serves (the candles' and the settlements' ranges)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func


def unindexed(column: Any) -> Any:
    """`column` as no index can serve it: the planner then reads the few rows another
    condition's index selects (the `fetched_at` one) rather than every row of the column's range
    (SQLite's planner has no statistics to tell the two apart)."""
    return func.coalesce(column, column)
