"""Bulk reads in slices: a replay's history is up to millions of rows, and the event loop serves
requests between two slices."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from itertools import chain
from typing import Any

import numpy as np
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

SLICE = 250  # rows per slice: well under a millisecond of work each


async def in_slices(
    session: AsyncSession, query: Select[*tuple[Any, ...]], rows: int = SLICE
) -> AsyncIterator[Sequence[Any]]:
    """`query`'s rows, `rows` at a time, as Core rows (no ORM loading: a third of the work)."""
    connection = await session.connection()
    result = await connection.stream(query.execution_options(yield_per=rows))
    async for part in result.partitions():
        yield part


async def numeric_slices(
    session: AsyncSession, query: Select[*tuple[Any, ...]], rows: int = SLICE
) -> AsyncIterator[np.ndarray]:
    """`query`'s rows (numbers only), `rows` at a time, each slice a float table."""
    async for part in in_slices(session, query, rows):
        # One flat list, then numpy: numpy reads a database row item by item (thirty times slower
        # than a tuple per row), and a tuple per row costs two to four times the flat list.
        values = list(chain.from_iterable(part))
        yield np.array(values, dtype=float).reshape(len(part), -1)
