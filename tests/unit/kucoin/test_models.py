"""Every recorded KuCoin response parses into the typed models; the quirks of KUCOIN.md §6 hold."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from app.kucoin.gateway import CandleBar
from app.kucoin.models import (
    Contract,
    FundingHistoryRow,
    Kline,
    OrderBook,
    Ticker,
    TickerV2,
    WsToken,
    ns_to_datetime,
)
from tests.exchange_calls import ServiceStatus
from tests.shared_data import kucoin_fixture, kucoin_fixture_names

CONTRACT_LISTS = [
    "futures_contracts_active_2022-06.json",
    "futures_contracts_active_2025-08.json",
    "doc-examples/futures_contracts_active.json",
]


def rows(name: str) -> list[dict[str, object]]:
    payload = kucoin_fixture(name)
    return payload["data"] if isinstance(payload, dict) else payload


class TestRecordedResponsesParse:
    @pytest.mark.parametrize("name", CONTRACT_LISTS)
    def test_contract_lists(self, name: str) -> None:
        contracts = [Contract.model_validate(row) for row in rows(name)]
        assert contracts and all(c.lot_size > 0 and c.tick_size > 0 for c in contracts)

    def test_static_contract_list_of_406(self) -> None:
        contracts = [
            Contract.model_validate(r)
            for r in rows("futures_contracts_active_2025-05-08_static_fields_only.json")
        ]
        assert len(contracts) == 406
        # The crawler stripped the volatile fields: they stay None, never zero.
        assert all(c.open_interest is None and c.mark_price is None for c in contracts)

    def test_single_contract(self) -> None:
        contract = Contract.model_validate(rows("doc-examples/futures_contracts_symbol.json"))
        assert contract.symbol

    @pytest.mark.parametrize("name", ["futures_ticker.json", "doc-examples/futures_ticker.json"])
    def test_ticker(self, name: str) -> None:
        ticker = Ticker.model_validate(rows(name))
        assert ticker.best_bid_price <= ticker.best_ask_price

    @pytest.mark.parametrize(
        "name", ["futures_kline_query.json", "doc-examples/futures_kline_query.json"]
    )
    def test_klines(self, name: str) -> None:
        klines = [Kline.from_row(r) for r in rows(name)]
        assert [k.open_time_ms for k in klines] == sorted(k.open_time_ms for k in klines)

    @pytest.mark.parametrize(
        "name",
        [
            "futures_contract_funding_rates_rows_2026-09.json",
            "doc-examples/futures_contract_funding_rates.json",
        ],
    )
    def test_funding_history(self, name: str) -> None:
        history = [FundingHistoryRow.model_validate(r) for r in rows(name)]
        assert all(abs(r.funding_rate) < 0.01 for r in history)

    @pytest.mark.parametrize(
        "name",
        [
            *kucoin_fixture_names("futures_level2_*.json"),
            "doc-examples/futures_level2_depth.json",
            "doc-examples/futures_level2_snapshot.json",
        ],
    )
    def test_order_books(self, name: str) -> None:
        book = OrderBook.model_validate(rows(name))
        assert book.bids[0][0] < book.asks[0][0]
        assert [p for p, _ in book.bids] == sorted((p for p, _ in book.bids), reverse=True)
        assert [p for p, _ in book.asks] == sorted(p for p, _ in book.asks)

    def test_service_status_and_token(self) -> None:
        assert (
            ServiceStatus.model_validate(rows("doc-examples/futures_status.json")).status == "open"
        )
        token = WsToken.model_validate(rows("doc-examples/futures_bullet_public.json"))
        assert token.instance_servers[0].ping_interval == 18000

    @pytest.mark.parametrize("name", kucoin_fixture_names("ws_ticker_v2_message*.json"))
    def test_ws_ticker_v2(self, name: str) -> None:
        message = kucoin_fixture(name)
        assert TickerV2.model_validate(message["data"]).mid > 0


class TestQuirks:
    """KUCOIN.md §6, one test per point."""

    def test_timestamps_ns_ms_us_and_seconds(self) -> None:
        ticker = Ticker.model_validate(rows("futures_ticker.json"))
        assert ticker.ts == 1710328243260000000  # ns, exact beyond 2**53
        assert ticker.at == datetime(2024, 3, 13, 11, 10, 43, 260000, tzinfo=UTC)
        kline = Kline.from_row(rows("futures_kline_query.json")[0])
        assert kline.open_time == datetime(2024, 1, 30, 16, 0, tzinfo=UTC)  # ms
        pong = kucoin_fixture("ws_pong_message.json")
        assert len(str(pong["timestamp"])) == 16  # µs
        assert ns_to_datetime(1_000_000_001_500) == datetime(1970, 1, 1, 0, 16, 40, 1, tzinfo=UTC)

    def test_string_and_number_fields(self) -> None:
        raw = rows("futures_ticker.json")
        assert isinstance(raw["price"], str) and isinstance(raw["bestBidSize"], int)
        ticker = Ticker.model_validate(raw)
        assert ticker.price == 73400.0 and ticker.best_bid_price == 73399.9
        v1 = kucoin_fixture("ws_ticker_v1_message_ethusdtm_2022-07.json")["data"]
        assert isinstance(v1["price"], int | float)  # a number here, a string elsewhere

    def test_open_interest_is_lots_as_string(self) -> None:
        raw = rows("futures_contracts_active_2025-08.json")[0]
        assert raw["openInterest"] == "5940782"
        assert Contract.model_validate(raw).open_interest == 5940782.0

    def test_next_funding_time_is_a_countdown(self) -> None:
        contract = Contract.model_validate(rows("futures_contracts_active_2025-08.json")[0])
        assert contract.next_funding_rate_time == 28149691  # ~7.8 h from now, not 1970
        assert contract.next_funding_rate_time < 8 * 3600 * 1000
        assert contract.next_funding_rate_date_time == 1756224000000

    def test_inverse_turnover_sign_is_dropped(self) -> None:
        raw = dict(rows("futures_contracts_active_2022-06.json")[1])
        assert raw["isInverse"] is True
        raw["turnoverOf24h"] = -202.52
        assert Contract.model_validate(raw).turnover_of_24h == 202.52

    def test_unknown_keys_are_ignored(self) -> None:
        raw = {**rows("futures_contracts_active_2025-08.json")[0], "brandNewField2027": [1, 2]}
        assert Contract.model_validate(raw).symbol == "XBTUSDTM"

    def test_missing_core_field_is_an_error_not_a_zero(self) -> None:
        raw = dict(rows("futures_contracts_active_2025-08.json")[0])
        del raw["lotSize"]
        with pytest.raises(ValidationError):
            Contract.model_validate(raw)

    def test_xbt_is_bitcoin(self) -> None:
        contract = Contract.model_validate(rows("futures_contracts_active_2025-08.json")[0])
        assert contract.base_currency == "XBT" and contract.symbol == "XBTUSDTM"

    def test_kline_row_of_wrong_length_is_refused(self) -> None:
        with pytest.raises(ValueError):
            Kline.from_row([1706630400000, 1.0, 2.0])


class TestImpossibleCandles:
    AT = datetime(2026, 11, 23, tzinfo=UTC)

    @pytest.mark.parametrize(
        "bar",
        [
            (0.0, 1.0, 0.5, 1.0, 3.0),  # zero open
            (1.0, 1.0, 0.5, -1.0, 3.0),  # negative close
            (1.0, math.inf, 0.5, 1.0, 3.0),
            (1.0, 1.0, math.nan, 1.0, 3.0),
            (1.0, 0.4, 0.5, 1.0, 3.0),  # high under low
            (1.0, 1.0, 0.5, 1.0, -3.0),
            (1.0, 1.0, 0.5, 1.0, math.nan),
        ],
    )
    def test_a_bar_no_market_prints_is_not_possible(self, bar: tuple[float, ...]) -> None:
        assert not CandleBar(self.AT, *bar).is_possible

    def test_an_ordinary_bar_is_possible(self) -> None:
        assert CandleBar(self.AT, 1.0, 1.2, 0.9, 1.1, 0.0).is_possible
