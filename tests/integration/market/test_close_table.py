"""A window's stored closes read as one float table (`CandleRepository.close_table`), what the
heavy reads send to their worker: PostgreSQL sends them as arrays, SQLite as rows, and both give
every stored close of the asked symbols in the window, exactly, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.repository.candles import CandleRepository
from app.platform.core.units import HOUR, HOUR_MIN
from tests.factories import make_candles, make_symbol

START = datetime(2026, 3, 1, 5, tzinfo=UTC)
CLOSES = [[0.1 + k / 3, 1e-9 * (1 + k) ** 0.5, 12345.678901234567 - k, -1.0, 0.0] for k in range(4)]


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def test_every_stored_close_of_the_window_exactly_and_nothing_else(
    session: AsyncSession,
) -> None:
    symbols = [await make_symbol(session) for _ in CLOSES]
    for symbol, closes in zip(symbols, CLOSES, strict=True):
        await make_candles(session, symbol, closes, start=START - HOUR)  # one hour before
    asked = symbols[:3]  # the fourth's candles in the window are not read
    end = START + 2 * HOUR
    table = await CandleRepository(session).close_table([s.id for s in asked], HOUR_MIN, START, end)
    expected = sorted(
        (float(s.id), float(ms(START - HOUR + k * HOUR)), close)
        for s, closes in zip(symbols, CLOSES, strict=True)
        if s in asked
        for k, close in enumerate(closes)
        if START <= START - HOUR + k * HOUR <= end
    )
    assert table.dtype == np.float64
    assert sorted(map(tuple, table.tolist())) == expected


async def test_no_symbol_asked_reads_nothing(session: AsyncSession) -> None:
    table = await CandleRepository(session).close_table([], HOUR_MIN, START, START + HOUR)
    assert table.shape == (0, 3)


async def test_a_window_without_candles_is_an_empty_table(session: AsyncSession) -> None:
    symbol = await make_symbol(session)
    await make_candles(session, symbol, [1.0, 2.0], start=START)
    later = START + timedelta(days=30)
    table = await CandleRepository(session).close_table([symbol.id], HOUR_MIN, later, later)
    assert table.shape == (0, 3)
