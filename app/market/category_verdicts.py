"""The session rule live (`app.market.contracts.trading_sessions`): decided once a UTC day for
the contracts a scoring run reads, from their stored candles closed by that day's 00:00 and known
by the run (and the crypto market's, BTC's and ETH's, for the co-movement), kept on the symbol
row with its figures. A contract the rule newly classes
non-crypto, or whose verdict the exchange or the table contradicts, is announced: a
`category_changed` event and a warning alert (kind `category`), once per verdict."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.log import AlertLog
from app.market.contracts.categories import (
    COMMODITY,
    CRYPTO,
    EQUITY,
    UNKNOWN,
    base_of,
    disagreement,
)
from app.market.contracts.trading_sessions import (
    MARKET,
    WINDOW_HOURS,
    SessionFigures,
    day_start_ms,
    session_figures,
)
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository
from app.market.repository.symbols import SymbolRepository
from app.market.service import symbol_category
from app.platform.core.units import HOUR_MIN, HOUR_MS, from_epoch_ms
from app.platform.db.repositories.outbox import EventRepository

logger = logging.getLogger(__name__)
CATEGORY_ALERT = "category"  # the alert kind this module raises (app.alerts lists it among all)


@dataclass(frozen=True)
class CategoryNews:
    """A contract whose category changed with the data rule's new verdict, and why it is news."""

    symbol: str
    category: str
    source: str
    previous: str
    why: str


class CategoryVerdictService:
    """Keeps each scored contract's session-rule verdict current, once a UTC day."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.candles = CandleRepository(session)

    async def refresh(self, symbols: Sequence[Symbol], as_of: datetime) -> list[CategoryNews]:
        """Decide the day's verdict of each of `symbols` not yet decided for it; announce what
        is news. In the caller's transaction."""
        day = day_start_ms(int(as_of.timestamp() * 1000))
        due = [s for s in symbols if s.category_data_day_ms != day]
        if not due:
            return []
        candles = await self._window([s.id for s in due], day, as_of)
        market_ids = await SymbolRepository(self.session).ids_of(MARKET)
        market_close = (await self._window(market_ids, day, as_of))[3] if market_ids else None
        open_ms = day - HOUR_MS * np.arange(WINDOW_HOURS, 0, -1, dtype=np.int64)
        o, h, lo, c, v = candles
        figures = await asyncio.to_thread(session_figures, open_ms, o, h, lo, c, v, market_close)
        news = []
        for row, day_figures in zip(due, figures, strict=True):
            item = self._record(row, day_figures, day)
            if item is not None:
                await self._announce(item, row)
                news.append(item)
        await self.session.flush()
        return news

    async def _window(
        self, symbol_ids: Sequence[int], day: int, as_of: datetime
    ) -> list[np.ndarray]:
        """`(n, WINDOW_HOURS)` open, high, low, close and volume of the contracts `symbol_ids`
        closed by `day` and known by `as_of` (NaN: none stored)."""
        start = day - WINDOW_HOURS * HOUR_MS
        ids = np.array(symbol_ids, dtype=np.int64)
        order = np.argsort(ids)
        out = [np.full((len(ids), WINDOW_HOURS), np.nan) for _ in range(5)]
        async for part in self.candles.candle_slices(
            ids.tolist(), HOUR_MIN, from_epoch_ms(start), from_epoch_ms(day - HOUR_MS), as_of
        ):
            rows = order[np.searchsorted(ids[order], part[:, 0].astype(np.int64))]
            columns = ((part[:, 1] - start) // HOUR_MS).astype(np.int64)
            for k in range(5):
                out[k][rows, columns] = part[:, 2 + k]
        return out

    @staticmethod
    def _record(row: Symbol, figures: SessionFigures, day: int) -> CategoryNews | None:
        """Store the verdict on `row`; the news it makes: the contract newly classed
        non-crypto, or a disagreement with the exchange or the table that it did not have."""
        base = base_of(row.symbol)
        before = symbol_category(row)
        was_in_conflict = disagreement(base, row.asset_class, row.category_data)
        row.category_data, row.category_data_day_ms = figures.verdict, day
        row.category_figures = figures.to_json()
        after = symbol_category(row)
        conflict = disagreement(base, row.asset_class, figures.verdict)
        if before.category in (CRYPTO, UNKNOWN) and after.category in (COMMODITY, EQUITY):
            why = conflict or f"the session rule classes it {figures.verdict}"
        elif conflict is not None and conflict != was_in_conflict:
            why = conflict
        else:
            return None
        return CategoryNews(row.symbol, after.category, after.source, before.category, why)

    async def _announce(self, news: CategoryNews, row: Symbol) -> None:
        payload = {
            "symbol": news.symbol,
            "category": news.category,
            "source": news.source,
            "previous": news.previous,
            "why": news.why,
            "figures": row.category_figures,
        }
        await EventRepository(self.session).append("category_changed", payload)
        await AlertLog(self.session).raise_or_touch(
            kind=CATEGORY_ALERT,
            fingerprint=f"{CATEGORY_ALERT}:{news.symbol}",
            severity="warning",
            message=f"{news.symbol} is {news.category} ({news.source}): {news.why}",
            symbol=news.symbol,
            details=payload,
        )
        logger.warning(
            "category: %s is %s (%s): %s", news.symbol, news.category, news.source, news.why
        )
