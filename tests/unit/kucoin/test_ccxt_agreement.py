"""ccxt's own KuCoin futures market parsing over every recorded contract list, against the
symbol converter, both ways: the ccxt form the service emits is ccxt's, and every ccxt symbol
resolves to ccxt's market id. A ccxt form whose settle currency (or quote, or expiry) matches
no contract is unknown, never the nearest contract."""

from __future__ import annotations

from typing import Any

import pytest

from app.kucoin.exchange_errors import UnknownSymbol
from app.kucoin.symbols import CCXT_CURRENCIES, SymbolConverter
from tests.shared_data import kucoin_fixture
from tests.unit.kucoin.test_symbols import RECORDED_LISTS, contracts


def kucoin_futures() -> Any:
    """ccxt's KuCoin futures exchange. ccxt is imported here, not at the top: there, every test
    worker that collected this file paid its 1.3 s of imports, run or not."""
    import ccxt

    return ccxt.kucoinfutures()


def ccxt_markets(name: str) -> list[dict[str, Any]]:
    """ccxt's markets of a recorded `contracts/active` answer, parsed by ccxt itself."""
    payload = kucoin_fixture(name)
    rows = [dict(r) for r in (payload["data"] if isinstance(payload, dict) else payload)]
    for row in rows:
        # ccxt tells a perpetual by its next funding time, one of the volatile fields the
        # 2025-05-08 recording dropped; KuCoin sends it for every perpetual (type FFWCSX, even
        # one with a delisting date, FETUSDTM).
        if row.get("type") == "FFWCSX":
            row.setdefault("nextFundingRateTime", 3_600_000)
    exchange = kucoin_futures()
    exchange.futuresPublicGetContractsActive = lambda params=None: {"code": "200000", "data": rows}
    return list(exchange.fetch_markets())


@pytest.mark.parametrize("name", RECORDED_LISTS)
def test_ccxt_and_the_converter_agree_on_every_recorded_contract(name: str) -> None:
    converter = SymbolConverter(contracts(name))
    markets = ccxt_markets(name)
    assert len(markets) == len(converter)
    to_ccxt = [m for m in markets if converter.to_ccxt(m["id"]) == m["symbol"]]
    from_ccxt = [m for m in markets if converter.to_kucoin(m["symbol"]) == m["id"]]
    print(
        f"\n{name}: {len(markets)} markets; ours -> ccxt {len(to_ccxt)}, ccxt -> ours "
        f"{len(from_ccxt)}"
    )
    assert len(to_ccxt) == len(from_ccxt) == len(markets)


def test_the_renamed_currencies_are_ccxts() -> None:
    names = dict(kucoin_futures().commonCurrencies)
    assert names.pop("XBT") == "BTC"  # the converter's own standard name
    assert names == CCXT_CURRENCIES


def test_a_renamed_currency_is_emitted_and_read_under_ccxts_name() -> None:
    converter = SymbolConverter(contracts(RECORDED_LISTS[0]))
    assert converter.to_ccxt("ALTUSDTM") == "APTOSLAUNCHTOKEN/USDT:USDT"
    assert converter.to_kucoin("APTOSLAUNCHTOKEN/USDT:USDT") == "ALTUSDTM"
    with pytest.raises(UnknownSymbol):  # ccxt's ALT is KuCoin's KALT, not listed here
        converter.resolve("ALT/USDT:USDT")
    assert SymbolConverter().to_kucoin("APTOSLAUNCHTOKEN/USDT:USDT") == "ALTUSDTM"  # no list


@pytest.mark.parametrize(
    "given",
    ["BTC/USD:USDT", "BTC/USDT:USDC", "BTC/USDT:BTC", "ETH/USDC:USDT", "BTC/USDT:USDT-250627"],
)
def test_a_ccxt_form_matching_no_contract_is_unknown(given: str) -> None:
    with pytest.raises(UnknownSymbol):
        SymbolConverter(contracts(RECORDED_LISTS[0])).resolve(given)
    with pytest.raises(UnknownSymbol):  # nor do the string rules invent one
        SymbolConverter().resolve(given)


def test_without_the_list_a_dated_future_is_never_given_an_invented_code() -> None:
    with pytest.raises(UnknownSymbol):
        SymbolConverter().to_kucoin("BTC/USD:BTC-250627")
    with pytest.raises(UnknownSymbol):
        SymbolConverter().to_kucoin("BTCUSD-250627")
    assert SymbolConverter(contracts(RECORDED_LISTS[0])).to_kucoin("BTC/USD:BTC-250627") == (
        "XBTMM25"
    )
