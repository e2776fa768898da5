"""The stored history window the forward record decides on, kept between its hourly updates.

Reading a month of 400 contracts' candles takes seconds; an hour later the window differs by one
hour. So the last window stays in memory (per database), and the next hour's is that one shifted
by a column (grown by one while the stored history starts inside it), with only the newest
hour's rows read, once two counts show that nothing was stored behind it since: stored candles
and settlements are never changed (closed candles only, each inserted once), so a backfill (a
contract newly shortlisted gets its history) shows as rows fetched since the last read inside
the kept range. Anything else (a backfill, a contract joining or leaving the window, a restart)
reads the window in full. Either way the history handed out is `load_db_history`'s for the same
range, bar for bar (tests/integration/records/test_forward_record.py).

What is kept is the window's own arrays, never what a caller derives from it: each caller is
handed a view of them (`_handed_out`), whose derived arrays (marks, returns, the funding by
hour: cached on first use) end with the caller's update. Kept, they doubled the window's bytes
for the hour, though the next hour's window is a new one and derives its own.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.books.db_source import (
    NoStoredHistory,
    Settlements,
    assemble,
    with_funding,
)
from app.books.simulation.market_history import MarketHistory
from app.market.repository.candles import CandleRepository
from app.market.repository.funding import FundingRepository
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR, HOUR_MIN, HOUR_MS, to_epoch_ms

# A row's `fetched_at` is taken before its transaction commits: rows fetched this long before a
# read but committed after it are still seen by the next check.
COMMIT_MARGIN = timedelta(hours=1)
FIELDS = ("open", "high", "low", "close", "volume")


@dataclass
class _Kept:
    start: datetime  # candles opening in [start, end]
    end: datetime
    history: MarketHistory  # as handed out (with its funding)
    ids: list[int]  # its rows' symbol ids
    settled: Settlements  # settled in [start, end + 1 h]
    names: dict[int, str]  # symbol names by id
    read_at: datetime  # when the rows were read
    fetched_since: tuple[int, int]  # rows inside fetched after read_at - margin, then


_KEPT: dict[str, _Kept] = {}  # by database URL
# By database URL: one read of its window at a time (a lock belongs to the loop it waits in).
_READING: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = {}


def database_key(session: AsyncSession) -> str:
    """What the kept window (and state) of `session`'s database are kept under: its URL."""
    bind = session.bind
    engine = bind.engine if isinstance(bind, AsyncConnection) else bind
    return "" if engine is None else engine.url.render_as_string(hide_password=True)


async def warm_window(session: AsyncSession, start: datetime, end: datetime) -> None:
    """Keep the window [start, end] (`window_history`) unless it is kept already: a later
    `window_history` of the hour after it then reads that hour only (NoStoredHistory: no candle
    in the range)."""
    kept = _KEPT.get(database_key(session))
    if kept is None or (kept.start, kept.end) != (start, end):
        await window_history(session, start, end)


async def window_history(session: AsyncSession, start: datetime, end: datetime) -> MarketHistory:
    """`load_db_history(session, start, end)`: the kept window shifted by an hour where it
    still holds (nothing stored behind it since, the same contracts in it), else read in full
    (NoStoredHistory: no candle in the range)."""
    key = database_key(session)
    async with _reading(key):
        return await _window(session, key, start, end)


def _reading(key: str) -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    held = _READING.get(key)
    if held is None or held[0] is not loop:
        held = _READING[key] = (loop, asyncio.Lock())
    return held[1]


async def _window(session: AsyncSession, key: str, start: datetime, end: datetime) -> MarketHistory:
    kept = _KEPT.get(key)
    # Counted before the read: a row committed in between is read and counted next time (a
    # needless full read), never missed.
    read_at = utcnow()
    fetched_since = await _fetched_since(session, start, end, read_at)
    if kept is not None and await _intact(session, kept):
        if (kept.start, kept.end) == (start, end):
            return _handed_out(kept.history)
        if (kept.start + HOUR, kept.end + HOUR) == (start, end):
            shifted = await _shifted_window(session, kept, read_at, fetched_since)
            if shifted is not None:
                _KEPT[key] = shifted
                return _handed_out(shifted.history)
    names = {} if kept is None else kept.names
    tables = [part async for part in CandleRepository(session).bars(HOUR_MIN, start, end)]
    if not tables:
        raise NoStoredHistory(f"no hourly candles stored between {start} and {end}")
    # Settled through the last candle's close: a settlement there is paid at that last mark.
    funding = FundingRepository(session)
    settled = Settlements.of(await funding.every_between(start, end + HOUR, inclusive=True))
    history = await assemble(session, tables, settled, names)
    ids = _ids_of(history, names)
    _KEPT[key] = _Kept(start, end, history, ids, settled, names, read_at, fetched_since)
    return _handed_out(history)


def _handed_out(history: MarketHistory) -> MarketHistory:
    """`history` for one caller: the same arrays (not copied), derived ones of its own."""
    return dataclasses.replace(history, _index={})


async def _shifted_window(
    session: AsyncSession, kept: _Kept, read_at: datetime, fetched_since: tuple[int, int]
) -> _Kept | None:
    """`kept` an hour later, reading only that hour's candles and settlements; None where the
    shift is not the window `load_db_history` would build."""
    start, end = kept.start + HOUR, kept.end + HOUR
    newer = [part async for part in CandleRepository(session).bars(HOUR_MIN, end, end)]
    new_bars = np.concatenate([np.zeros((0, 7)), *newer])
    shifted = _shifted(kept.history, kept.ids, new_bars, to_epoch_ms(start), to_epoch_ms(end))
    if shifted is None:
        return None
    funding = FundingRepository(session)
    newly = await funding.every_between(kept.end + HOUR, end + HOUR, inclusive=False)
    settled = kept.settled.since(to_epoch_ms(start)).joined(Settlements.of(newly))
    history = with_funding(shifted, kept.ids, settled)
    return _Kept(start, end, history, kept.ids, settled, kept.names, read_at, fetched_since)


def _ids_of(history: MarketHistory, names: dict[int, str]) -> list[int]:
    by_name = {name: i for i, name in names.items()}
    return [by_name[s] for s in history.symbols]


def _shifted(
    history: MarketHistory, ids: list[int], new_bars: np.ndarray, start_ms: int, end_ms: int
) -> MarketHistory | None:
    """`history` one hour later: its first column dropped (unless the stored history starts
    inside the window, which then grows by the hour), `new_bars` (all opening at `end_ms`) as
    the last; None where that is not the grid `load_db_history` would build (a contract joins
    or leaves the window, the grid would start later, a bar is elsewhere)."""
    grid = history.grid_ms
    if grid[-1] != end_ms - HOUR_MS:
        return None
    drops = int(grid[0] == start_ms - HOUR_MS)  # else the grid starts at or after start_ms
    if not new_bars.shape[0] or not (new_bars[:, 1] == end_ms).all():
        return None
    row_of = {symbol_id: row for row, symbol_id in enumerate(ids)}
    if any(int(i) not in row_of for i in new_bars[:, 0]):
        return None  # a contract new to the window
    rows = [row_of[int(i)] for i in new_bars[:, 0]]
    still = np.isfinite(history.close[:, drops:]).any(axis=1)  # the kept rows with a bar left
    still[rows] = True
    first_column = np.isfinite(history.close[:, drops]).any() if grid.size > drops else False
    if not still.all() or not first_column:
        return None
    arrays = []
    for k, name in enumerate(FIELDS):
        old = getattr(history, name)[:, drops:]
        values = np.full((old.shape[0], old.shape[1] + 1), np.nan)
        values[:, :-1] = old
        values[rows, -1] = new_bars[:, 2 + k]
        arrays.append(values)
    opens, highs, lows, closes, volumes = arrays
    return MarketHistory(
        history.symbols,
        np.append(grid[drops:], end_ms),
        opens,
        highs,
        lows,
        closes,
        volumes,
        [None] * history.size,
        history.source,
    )


async def _intact(session: AsyncSession, kept: _Kept) -> bool:
    """Nothing was stored inside the kept range since it was read."""
    return await _fetched_since(session, kept.start, kept.end, kept.read_at) == kept.fetched_since


async def _fetched_since(
    session: AsyncSession, start: datetime, end: datetime, read_at: datetime
) -> tuple[int, int]:
    """How many candles opening in [start, end] and settlements until its last close were
    fetched after `read_at` less the commit margin."""
    since = read_at - COMMIT_MARGIN
    candles = await CandleRepository(session).fetched_since(HOUR_MIN, start, end, since)
    settlements = await FundingRepository(session).fetched_since(start, end + HOUR, since)
    return candles, settlements
