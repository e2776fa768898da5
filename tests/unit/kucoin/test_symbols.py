"""The symbol converter: round-trips every recorded contract; accepts every documented form."""

from __future__ import annotations

import pytest

from app.kucoin.exchange_errors import MalformedSymbol, UnknownSymbol
from app.kucoin.models import Contract
from app.kucoin.symbols import SymbolConverter
from tests.shared_data import kucoin_fixture

RECORDED_LISTS = [
    "futures_contracts_active_2025-05-08_static_fields_only.json",
    "futures_contracts_active_2022-06.json",
    "futures_contracts_active_2025-08.json",
    "doc-examples/futures_contracts_active.json",
]


def contracts(name: str) -> list[Contract]:
    payload = kucoin_fixture(name)
    rows = payload["data"] if isinstance(payload, dict) else payload
    return [Contract.model_validate(r) for r in rows]


@pytest.fixture(scope="module")
def converter() -> SymbolConverter:
    return SymbolConverter(contracts(RECORDED_LISTS[0]))


class TestRoundTrip:
    @pytest.mark.parametrize("name", RECORDED_LISTS)
    def test_every_recorded_contract_round_trips(self, name: str) -> None:
        listed = contracts(name)
        converter = SymbolConverter(listed)
        for contract in listed:
            canonical = converter.to_standard(contract.symbol)
            assert converter.to_kucoin(canonical) == contract.symbol
            assert converter.to_kucoin(converter.to_ccxt(canonical)) == contract.symbol
            assert converter.to_standard(contract.symbol.lower()) == canonical

    def test_string_rules_alone_round_trip_every_perpetual(self) -> None:
        fallback = SymbolConverter()
        for contract in contracts(RECORDED_LISTS[0]):
            if contract.is_perpetual:
                assert fallback.to_kucoin(fallback.to_standard(contract.symbol)) == contract.symbol


class TestForms:
    @pytest.mark.parametrize(
        ("given", "canonical", "kucoin"),
        [
            ("XBTUSDTM", "BTCUSDT", "XBTUSDTM"),
            ("btcusdt", "BTCUSDT", "XBTUSDTM"),
            ("BTC/USDT:USDT", "BTCUSDT", "XBTUSDTM"),
            ("btc-usdt", "BTCUSDT", "XBTUSDTM"),
            ("ETHUSDTM", "ETHUSDT", "ETHUSDTM"),
            ("1000BONKUSDT", "1000BONKUSDT", "1000BONKUSDTM"),
            ("ATOMUSDTM", "ATOMUSDT", "ATOMUSDTM"),
            ("XBTUSDM", "BTCUSD", "XBTUSDM"),
            ("BTC/USD:BTC", "BTCUSD", "XBTUSDM"),
            ("XBTUSDCM", "BTCUSDC", "XBTUSDCM"),
            ("XBTMM25", "BTCUSD-250627", "XBTMM25"),
            ("BTC/USD:BTC-250627", "BTCUSD-250627", "XBTMM25"),
            ("  solusdtm ", "SOLUSDT", "SOLUSDTM"),
        ],
    )
    def test_accepts(
        self, converter: SymbolConverter, given: str, canonical: str, kucoin: str
    ) -> None:
        assert converter.to_standard(given) == canonical
        assert converter.to_kucoin(given) == kucoin

    def test_ccxt_forms(self, converter: SymbolConverter) -> None:
        assert converter.to_ccxt("XBTUSDTM") == "BTC/USDT:USDT"
        assert converter.to_ccxt("XBTUSDM") == "BTC/USD:BTC"
        assert converter.to_ccxt("XBTUSDCM") == "BTC/USDC:USDC"


class TestBadInput:
    @pytest.mark.parametrize(
        "given", ["", "   ", "BTC USDT", "BTC$USDT", "/USDT", "BTC//USDT", "X" * 41, "BTC/"]
    )
    def test_malformed_is_refused(self, converter: SymbolConverter, given: str) -> None:
        with pytest.raises(MalformedSymbol) as caught:
            converter.to_kucoin(given)
        assert caught.value.status == 422

    # The documented shape (letters and digits joined by / : -), naming no contract: 404.
    @pytest.mark.parametrize(
        "given", ["NOPEUSDT", "NOPEUSDTM", "nope/usdt:usdt", "NOPE-USDT", "ETH", "USDT", "00"]
    )
    def test_well_formed_but_unlisted_is_unknown(
        self, converter: SymbolConverter, given: str
    ) -> None:
        with pytest.raises(UnknownSymbol) as caught:
            converter.to_standard(given)
        assert caught.value.status == 404

    def test_dated_future_needs_the_list(self) -> None:
        with pytest.raises(UnknownSymbol):
            SymbolConverter().to_standard("XBTMM25")

    def test_non_string_is_malformed(self, converter: SymbolConverter) -> None:
        with pytest.raises(MalformedSymbol):
            converter.to_standard(42)  # type: ignore[arg-type]
