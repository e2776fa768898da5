"""The session rule live: decided once a UTC day for a run's contracts from their stored candles
known by then, kept on the symbol row with its figures, and announced (a `category_changed`
event and a warning alert) when it newly classes a contract non-crypto or contradicts the
exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.books.simulation.market_history import MarketHistory
from app.market.category_verdicts import CategoryVerdictService
from app.market.contracts.trading_sessions import SILENT_MAX, WEEKEND_MAX, WINDOW_HOURS
from app.market.models import Candle, Symbol
from app.market.service import symbol_category
from app.platform.core.units import HOUR_MS
from app.platform.db.models import EventOutbox
from tests.factories import make_symbol
from tests.replay_data import random_walks, session_traded

DAY = datetime(2023, 11, 20, tzinfo=UTC)  # a Monday
DAY_MS = int(DAY.timestamp() * 1000)
AS_OF = DAY + timedelta(minutes=5)


def coin_and_stock(hours: int = WINDOW_HOURS) -> MarketHistory:
    """Two contracts whose last candle closes at `DAY`: a coin, and a perpetual on a share."""
    return session_traded(random_walks(2, hours, start_ms=DAY_MS - hours * HOUR_MS), {1: "equity"})


async def store(
    session: AsyncSession, symbol: Symbol, history: MarketHistory, row: int, *, late: bool = False
) -> None:
    """`history`'s row as `symbol`'s stored candles, each fetched at its close (or, `late`,
    a day after the run)."""
    session.add_all(
        Candle(
            symbol_id=symbol.id,
            granularity_min=60,
            open_time=(opened := datetime.fromtimestamp(ms / 1000, tz=UTC)),
            open=float(history.open[row, k]),
            high=float(history.high[row, k]),
            low=float(history.low[row, k]),
            close=float(history.close[row, k]),
            volume=float(history.volume[row, k]),
            fetched_at=AS_OF + timedelta(days=1) if late else opened + timedelta(hours=1),
        )
        for k, ms in enumerate(history.grid_ms.tolist())
    )
    await session.flush()


async def stored_pair(session: AsyncSession, **stock: object) -> tuple[Symbol, Symbol]:
    history = coin_and_stock()
    coin, share = await make_symbol(session), await make_symbol(session, **stock)
    await store(session, coin, history, 0)
    await store(session, share, history, 1)
    return coin, share


async def announced(session: AsyncSession) -> tuple[list[EventOutbox], list[Alert]]:
    events = await session.scalars(
        select(EventOutbox).where(EventOutbox.kind == "category_changed").order_by(EventOutbox.id)
    )
    alerts = await session.scalars(select(Alert).where(Alert.kind == "category"))
    return list(events.all()), list(alerts.all())


class TestRefresh:
    async def test_classes_each_contract_from_its_stored_candles(
        self, session: AsyncSession
    ) -> None:
        coin, share = await stored_pair(session)
        news = await CategoryVerdictService(session).refresh([coin, share], AS_OF)
        assert (coin.category_data, share.category_data) == ("crypto", "equity")
        assert coin.category_data_day_ms == share.category_data_day_ms == DAY_MS
        assert share.category_figures is not None
        assert share.category_figures["verdict"] == "equity"
        # a market shut every night: its nights are silent; a walk is busy at weekends
        assert share.category_figures["night_high"] < SILENT_MAX
        assert coin.category_figures["quiet_low"] >= WEEKEND_MAX  # type: ignore[index]
        assert (symbol_category(share).category, symbol_category(share).source) == (
            "equity",
            "data",
        )
        assert [(n.symbol, n.category, n.previous) for n in news] == [
            (share.symbol, "equity", "crypto")
        ]

    async def test_news_is_an_event_and_a_warning_alert(self, session: AsyncSession) -> None:
        coin, share = await stored_pair(session)
        await CategoryVerdictService(session).refresh([coin, share], AS_OF)
        events, alerts = await announced(session)
        assert [e.payload["symbol"] for e in events] == [share.symbol]
        assert events[0].payload["category"] == "equity"
        assert events[0].payload["source"] == "data"
        assert events[0].payload["figures"]["verdict"] == "equity"
        assert [(a.symbol, a.severity, a.status) for a in alerts] == [
            (share.symbol, "warning", "open")
        ]

    async def test_a_verdict_left_by_the_upgrade_is_decided_anew_and_is_news(
        self, session: AsyncSession
    ) -> None:
        """Migration 0042 clears the decision day and keeps the old verdict: the day's run
        decides the contract under the rule in force, and a change to non-crypto is news."""
        coin, share = await stored_pair(session)
        share.category_data, share.category_figures = "crypto", {"verdict": "crypto"}
        news = await CategoryVerdictService(session).refresh([coin, share], AS_OF)
        assert share.category_data == "equity" and share.category_data_day_ms == DAY_MS
        assert share.category_figures is not None and "night_floor" in share.category_figures
        assert [(n.symbol, n.category, n.previous) for n in news] == [
            (share.symbol, "equity", "crypto")
        ]
        assert [a.symbol for a in (await announced(session))[1]] == [share.symbol]

    async def test_decides_once_a_day(self, session: AsyncSession) -> None:
        coin, share = await stored_pair(session)
        service = CategoryVerdictService(session)
        await service.refresh([coin, share], AS_OF)
        assert await service.refresh([coin, share], AS_OF + timedelta(hours=23)) == []
        assert len((await announced(session))[0]) == 1
        next_day = await service.refresh([coin, share], AS_OF + timedelta(days=1))
        assert next_day == [] and share.category_data_day_ms == DAY_MS + 24 * HOUR_MS

    async def test_reads_no_candle_stored_after_the_run(self, session: AsyncSession) -> None:
        history = coin_and_stock()
        share = await make_symbol(session)
        await store(session, share, history, 1, late=True)
        await CategoryVerdictService(session).refresh([share], AS_OF)
        assert share.category_data == "unknown"
        assert share.category_figures is not None and share.category_figures["weekend_hours"] == 0

    async def test_a_young_listing_is_unknown_and_excluded_quietly(
        self, session: AsyncSession
    ) -> None:
        history = coin_and_stock(hours=4 * 24)  # no weekend, and four weekdays of nights
        share = await make_symbol(session)
        await store(session, share, history, 1)
        assert await CategoryVerdictService(session).refresh([share], AS_OF) == []
        assert symbol_category(share).category == "unknown"

    async def test_the_exchange_decides_and_a_disagreement_is_news(
        self, session: AsyncSession
    ) -> None:
        coin, share = await stored_pair(session, asset_class="CRYPTO")
        news = await CategoryVerdictService(session).refresh([coin, share], AS_OF)
        assert symbol_category(share).category == "crypto"
        assert symbol_category(share).source == "exchange"
        assert [(n.symbol, n.why) for n in news] == [
            (share.symbol, "the exchange says CRYPTO, the data equity")
        ]

    async def test_the_exchange_naming_a_stock_needs_no_news(self, session: AsyncSession) -> None:
        coin, share = await stored_pair(session, asset_class="STOCK")
        assert await CategoryVerdictService(session).refresh([coin, share], AS_OF) == []
        assert (symbol_category(share).category, symbol_category(share).source) == (
            "equity",
            "exchange",
        )


class TestTheMarket:
    """The co-movement reads the crypto market's stored candles (BTC's and ETH's), known by
    the run as the contract's are."""

    async def test_btc_stored_is_the_market_read(self, session: AsyncSession) -> None:
        history = coin_and_stock()  # row 0 is named BTCUSDT: the market
        btc, coin = await make_symbol(session, "BTC"), await make_symbol(session)
        await store(session, btc, history, 0)
        await store(session, coin, history, 0)  # the same walk: it moves with the market
        await CategoryVerdictService(session).refresh([coin], AS_OF)
        figures = coin.category_figures
        assert figures is not None and figures["market_corr"] == 1.0
        assert figures["market_hours"] == 8 * 44  # the window's weekend hours, each with a return
        assert figures["weekends"] == 8
        assert figures["quiet_low"] < figures["quietness"] < figures["quiet_high"]

    async def test_without_the_market_stored_nothing_is_read_for_it(
        self, session: AsyncSession
    ) -> None:
        history = coin_and_stock()
        coin = await make_symbol(session)
        await store(session, coin, history, 0)
        await CategoryVerdictService(session).refresh([coin], AS_OF)
        assert coin.category_figures is not None
        assert coin.category_figures["market_hours"] == 0
        assert coin.category_figures["market_corr"] is None

    async def test_a_market_candle_stored_after_the_run_is_not_read(
        self, session: AsyncSession
    ) -> None:
        history = coin_and_stock()
        btc, coin = await make_symbol(session, "BTC"), await make_symbol(session)
        await store(session, btc, history, 0, late=True)
        await store(session, coin, history, 0)
        await CategoryVerdictService(session).refresh([coin], AS_OF)
        assert coin.category_figures is not None
        assert coin.category_figures["market_hours"] == 0
