"""Universe sync: the contract list lands in `symbol`; delistings are marked and alerted."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.kucoin.exchange_errors import Unavailable
from app.kucoin.gateway import KucoinGateway
from app.market.models import Symbol
from app.market.service import UniverseService
from app.portfolio.holdings import PortfolioHoldings
from tests.factories import make_member
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import with_sim

HOLDINGS = PortfolioHoldings()  # the portfolio's, as the app's state hands it to the sync


async def symbols_by_code(session: AsyncSession) -> dict[str, Symbol]:
    rows = (await session.scalars(select(Symbol))).all()
    return {row.kucoin_symbol: row for row in rows}


async def delisting_alerts(session: AsyncSession) -> list[Alert]:
    query = select(Alert).where(Alert.kind == "delisting").order_by(Alert.symbol)
    return list((await session.scalars(query)).all())


class TestSync:
    async def test_stores_every_contract_in_canonical_form_with_its_specs(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        result = await UniverseService(session, gateway).sync(HOLDINGS)
        rows = await symbols_by_code(session)
        assert result.contracts == result.added == len(rows) == 12
        btc = rows["XBTUSDTM"]
        spec = sim.market.specs[sim.market.index["XBTUSDTM"]].row
        assert (btc.symbol, btc.base_currency, btc.quote_currency) == ("BTCUSDT", "BTC", "USDT")
        assert btc.multiplier == Decimal(str(spec["multiplier"]))
        assert btc.lot_size == Decimal(str(spec["lotSize"]))
        assert btc.tick_size == Decimal(str(spec["tickSize"]))
        assert btc.max_leverage == spec["maxLeverage"]
        assert btc.status == "Open" and btc.is_eligible and btc.delisted_at is None
        assert btc.turnover_24h is not None and btc.turnover_24h > 0
        assert btc.open_interest_lots is not None and btc.open_interest_lots > 0
        assert btc.mark_price is not None and btc.funding_rate is not None
        assert btc.market_data_at == btc.last_seen_at == result.synced_at
        assert all(r.symbol == r.base_currency + r.quote_currency for r in rows.values())

    @with_sim(universe=12, asset_classes={"SIM003USDTM": "STOCK"})
    async def test_stores_what_the_row_says_the_underlying_is(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        rows = await symbols_by_code(session)
        assert (rows["SIM003USDTM"].asset_class, rows["XBTUSDTM"].asset_class) == ("STOCK", None)
        rows["SIM003USDTM"].asset_class, rows["XBTUSDTM"].asset_class = None, "METAL"
        await session.flush()
        await service.sync(HOLDINGS)  # an update writes what the row says now, None included
        rows = await symbols_by_code(session)
        assert (rows["SIM003USDTM"].asset_class, rows["XBTUSDTM"].asset_class) == ("STOCK", None)

    async def test_a_second_sync_updates_in_place(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        first_ids = {code: row.id for code, row in (await symbols_by_code(session)).items()}
        sim.clock.advance(3600)
        result = await service.sync(HOLDINGS)
        rows = await symbols_by_code(session)
        assert (result.added, result.updated, result.delisted) == (0, 12, [])
        assert {code: row.id for code, row in rows.items()} == first_ids
        assert rows["XBTUSDTM"].market_data_at == result.synced_at

    async def test_a_vanished_contract_is_marked_delisted_with_an_alert(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        sim.delist("ETHUSDTM")
        result = await service.sync(HOLDINGS)
        eth = (await symbols_by_code(session))["ETHUSDTM"]
        assert result.delisted == ["ETHUSDT"]
        assert eth.status == "Delisted" and not eth.is_eligible
        assert eth.delisted_at == result.synced_at
        [alert] = await delisting_alerts(session)
        assert (alert.symbol, alert.status, alert.occurrences) == ("ETHUSDT", "open", 1)
        assert alert.severity == "warning"  # not a portfolio member
        assert alert.details["kucoin_symbol"] == "ETHUSDTM"

    async def test_a_held_contract_leaving_is_a_critical_alert(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        rows = await symbols_by_code(session)
        await make_member(session, 1, symbol=rows["ETHUSDTM"])  # in this uncommitted transaction
        sim.delist("ETHUSDTM")
        sim.delist("SIM003USDTM")
        await service.sync(HOLDINGS)
        alerts = {alert.symbol: alert for alert in await delisting_alerts(session)}
        assert {s: a.severity for s, a in alerts.items()} == {
            "ETHUSDT": "critical",
            "SIM003USDT": "warning",
        }
        assert alerts["ETHUSDT"].details["portfolio_member"] is True
        assert alerts["SIM003USDT"].details["portfolio_member"] is False

    async def test_a_contract_leaving_open_is_marked_and_alerted_once(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        sim.delist("SIM003USDTM", status="Paused")
        first = await service.sync(HOLDINGS)
        second = await service.sync(HOLDINGS)
        row = (await symbols_by_code(session))["SIM003USDTM"]
        assert first.delisted == ["SIM003USDT"] and second.delisted == []
        assert row.status == "Paused" and row.eligibility_reason == "NOT_OPEN"
        assert row.delisted_at == first.synced_at
        [alert] = await delisting_alerts(session)
        assert "Paused" in alert.message

    async def test_a_paused_contract_that_vanishes_is_delisted_since_it_paused(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        sim.delist("SIM003USDTM", status="Paused")
        paused = await service.sync(HOLDINGS)
        sim.delist("SIM003USDTM")
        gone = await service.sync(HOLDINGS)
        row = (await symbols_by_code(session))["SIM003USDTM"]
        assert gone.delisted == []  # counted once, when it stopped being Open
        assert (row.status, row.eligibility_reason) == ("Delisted", "DELISTED")
        assert row.delisted_at == paused.synced_at
        [alert] = await delisting_alerts(session)
        assert alert.occurrences == 2 and "no longer listed" in alert.message

    async def test_a_relisted_contract_is_open_again(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        sim.delist("ETHUSDTM")
        await service.sync(HOLDINGS)
        sim.relist("ETHUSDTM")
        result = await service.sync(HOLDINGS)
        eth = (await symbols_by_code(session))["ETHUSDTM"]
        assert result.relisted == ["ETHUSDT"]
        assert eth.status == "Open" and eth.is_eligible and eth.delisted_at is None

    async def test_an_outage_changes_nothing_and_reads_serve_last_good_data(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        before = {
            code: row.market_data_at for code, row in (await symbols_by_code(session)).items()
        }
        sim.faults.set("http_500", path="/api/v1/contracts/active")
        with pytest.raises(Unavailable):
            await service.sync(HOLDINGS)
        after = await symbols_by_code(session)
        assert {code: row.market_data_at for code, row in after.items()} == before
        assert await delisting_alerts(session) == []
        view = await service.get_symbol("xbtusdtm")
        assert view.row.symbol == "BTCUSDT" and view.data_age_s is not None
        assert not view.stale

    async def test_data_older_than_the_limit_is_marked_stale(
        self, session: AsyncSession, gateway: KucoinGateway
    ) -> None:
        service = UniverseService(session, gateway)
        await service.sync(HOLDINGS)
        btc = (await symbols_by_code(session))["XBTUSDTM"]
        btc.market_data_at = btc.market_data_at - timedelta(hours=2)  # limit: 1800 s
        await session.flush()
        view = await service.get_symbol("BTC/USDT:USDT")
        assert view.stale and view.data_age_s is not None and view.data_age_s >= 7200
