"""Contract categories: the maintained table, the peg rule that backs it, and the gate code of
an excluded category."""

from __future__ import annotations

import csv
import dataclasses
import json
from typing import get_args

import numpy as np
import pytest

from app.cli.config_command import parse_value
from app.configuration.registry import SETTINGS
from app.market.contracts.categories import (
    CATEGORIES,
    KNOWN,
    PEG_HOURS,
    PEG_MIN_CLOSES,
    SOURCES,
    TABLE,
    base_of,
    categorise,
    decide,
    disagreement,
    exclusion_code,
    is_excluded,
    pegged,
)
from app.market.schemas import Category, CategorySource, ContractCategory
from app.scoring.scorers.gate import INSUFFICIENT_HISTORY, GateParams, gate
from tests.shared_data import KUCOIN_FIXTURES, MARKET_DATA
from tests.unit.scoring.scorers.universe import LOOSE_GATE, SYMBOLS, make_universe, subset

EXCLUDED = ("stablecoin", "commodity", "equity")
RECORDED_CONTRACTS = "futures_contracts_active_2025-05-08_static_fields_only.json"
TRADFI_FOLDER = "binance-tradfi-perps-2025-12-2026-03"


def flat_near_one(hours: int = PEG_HOURS, level: float = 1.0003, noise: float = 1e-4) -> np.ndarray:
    """A generated hourly series hugging `level` (annualised volatility ~1 %)."""
    rng = np.random.default_rng(11)
    return level + rng.normal(0.0, noise, hours)


def random_walk(hours: int, start: float, hourly_vol: float, seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start * np.exp(np.cumsum(rng.normal(0.0, hourly_vol, hours)))


def closes_of(path: str) -> np.ndarray:
    with (MARKET_DATA / path).open() as f:
        return np.array([float(row["close"]) for row in csv.DictReader(f)])


class TestTable:
    @pytest.mark.parametrize(
        ("base", "category"),
        [
            ("USDC", "stablecoin"),
            ("FDUSD", "stablecoin"),
            ("TUSD", "stablecoin"),
            ("USDE", "stablecoin"),
            ("DAI", "stablecoin"),
            ("PYUSD", "stablecoin"),
            ("USD1", "stablecoin"),
            ("EUR", "stablecoin"),
            ("PAXG", "commodity"),
            ("XAUT", "commodity"),
            ("AAPL", "equity"),
            ("TSLA", "equity"),
            ("NVDA", "equity"),
            ("MSTR", "equity"),
            ("SPY", "equity"),
            ("QQQ", "equity"),
            ("usdc", "stablecoin"),
        ],
    )
    def test_names_the_known_non_crypto_bases(self, base: str, category: str) -> None:
        assert decide(base).category == category

    @pytest.mark.parametrize("base", ["XBT", "BTC", "ETH", "SPX", "DIA", "T", "CVX", "GAS", "USTC"])
    def test_a_base_it_does_not_name_is_crypto_whatever_its_ticker_suggests(
        self, base: str
    ) -> None:
        """SPX is SPX6900 (a memecoin) on Binance and KuCoin, CVX Convex, T Threshold."""
        assert decide(base).category == "crypto"

    def test_every_entry_is_a_known_category_other_than_crypto(self) -> None:
        assert set(TABLE.values()) == set(CATEGORIES) - {"crypto"}

    @pytest.mark.parametrize(
        ("symbol", "base"),
        [
            ("USDCUSDT", "USDC"),
            ("PAXGUSDT", "PAXG"),
            ("BTCUSDT", "BTC"),
            ("USD1USDT", "USD1"),
            ("XBTUSDCM", "XBTUSDCM"),
            ("USDT", "USDT"),
        ],
    )
    def test_the_base_of_a_canonical_symbol(self, symbol: str, base: str) -> None:
        assert base_of(symbol) == base

    def test_of_kucoins_real_listing_it_names_only_the_stablecoin_and_the_gold(self) -> None:
        """Each entry checked against the listing: the 406 recorded contracts' bases."""
        path = KUCOIN_FIXTURES / RECORDED_CONTRACTS
        if not path.exists():
            pytest.skip(f"{path} is absent (../shared is read in place)")
        named = {
            row["baseCurrency"]: decide(row["baseCurrency"]).category
            for row in json.loads(path.read_text())
            if decide(row["baseCurrency"]).category != "crypto"
        }
        assert named == {"USDC": "stablecoin", "PAXG": "commodity"}

    def test_of_the_binance_crypto_histories_it_names_only_usdc(self) -> None:
        """The TradFi folder aside: its bases are all named (below), and the session rule's
        results on every folder are in tests/unit/market/contracts/test_trading_sessions.py."""
        if not MARKET_DATA.exists():
            pytest.skip(f"{MARKET_DATA} is absent (../shared is read in place)")
        bases = {
            p.name.split("_USDT")[0]
            for p in MARKET_DATA.glob("*/*_USDT-1h.csv*")
            if p.parent.name != TRADFI_FOLDER
        }
        assert {b for b in bases if decide(b).category != "crypto"} == {"USDC"}

    def test_it_names_every_binance_tradfi_perpetual(self) -> None:
        folder = MARKET_DATA / TRADFI_FOLDER
        if not folder.exists():
            pytest.skip(f"{folder} is absent (../shared is read in place)")
        named = {
            p.name.split("_USDT")[0]: decide(p.name.split("_USDT")[0]).category
            for p in folder.glob("*_USDT-1h.csv")
        }
        assert named == {
            "XAU": "commodity",
            "XAG": "commodity",
            "PAXG": "commodity",
            "TSLA": "equity",
            "INTC": "equity",
            "CRCL": "equity",
            "MSTR": "equity",
        }


class TestPegRule:
    def test_a_flat_series_near_one_is_caught_whatever_its_name(self) -> None:
        close = np.vstack([flat_near_one(), flat_near_one(level=0.9991)])
        assert pegged(close).tolist() == [True, True]
        assert categorise(["NOTASTABLEUSDT", "BTCUSDT"], close) == ["stablecoin", "stablecoin"]

    def test_btc_is_not(self) -> None:
        close = random_walk(PEG_HOURS, 60_000.0, 0.006)[None, :]
        assert pegged(close).tolist() == [False]
        assert categorise(["BTCUSDT"], close) == ["crypto"]

    def test_real_btc_is_not_and_real_usdc_is(self) -> None:
        btc = "roshan7869-algotrading/BTC_USDT-1h.csv"
        usdc = "alpergulsen-freqtrade/USDC_USDT-1h.csv"
        if not (MARKET_DATA / btc).exists() or not (MARKET_DATA / usdc).exists():
            pytest.skip(f"{MARKET_DATA} is absent (../shared is read in place)")
        usdc_closes = closes_of(usdc)[-PEG_HOURS:]
        btc_closes = closes_of(btc)[-usdc_closes.size :]
        assert pegged(np.vstack([btc_closes, usdc_closes])).tolist() == [False, True]

    def test_a_close_beyond_two_percent_of_one_breaks_the_peg(self) -> None:
        close = flat_near_one()
        close[300] = 1.021
        assert pegged(close[None, :]).tolist() == [False]
        close[300] = 0.981
        assert pegged(close[None, :]).tolist() == [False]

    def test_a_series_within_the_band_but_too_volatile_is_not_pegged(self) -> None:
        """Hourly noise of 0.2 %: within 2 % of 1.0, yet ~19 % a year."""
        close = np.clip(flat_near_one(noise=0.002), 0.985, 1.015)
        assert pegged(close[None, :]).tolist() == [False]

    def test_a_flat_series_away_from_one_is_not_pegged(self) -> None:
        assert pegged(flat_near_one(level=1.05)[None, :]).tolist() == [False]

    def test_only_the_last_thirty_days_count(self) -> None:
        """A depeg 31 days ago is forgotten; the rule reads the latest closes only."""
        old = random_walk(200, 1.0, 0.01)
        close = np.concatenate([old, flat_near_one()])
        assert pegged(close[None, :]).tolist() == [True]

    def test_fewer_than_a_week_of_closes_decides_nothing(self) -> None:
        close = np.full(PEG_HOURS, np.nan)
        close[-(PEG_MIN_CLOSES - 1) :] = flat_near_one(PEG_MIN_CLOSES - 1)
        assert pegged(close[None, :]).tolist() == [False]
        close[-PEG_MIN_CLOSES:] = flat_near_one(PEG_MIN_CLOSES)
        assert pegged(close[None, :]).tolist() == [True]

    def test_missing_closes_are_skipped(self) -> None:
        close = flat_near_one()
        close[::7] = np.nan
        assert pegged(close[None, :]).tolist() == [True]

    def test_an_override_is_final(self) -> None:
        close = np.vstack([flat_near_one(), random_walk(PEG_HOURS, 200.0, 0.01)])
        assert categorise(["FOOUSDT", "AAPLUSDT"], close, ["crypto", None]) == [
            "crypto",
            "equity",
        ]


class TestGateCode:
    def test_is_the_category_after_its_prefix(self) -> None:
        assert exclusion_code("stablecoin") == "excluded:category:stablecoin"

    def test_an_excluded_category_comes_before_every_data_check(self) -> None:
        base = make_universe()
        renamed = dataclasses.replace(
            base, symbols=["BTCUSDT", "USDCUSDT", "PAXGUSDT", "AAPLUSDT", "ADAUSDT", "DOGEUSDT"]
        )
        params = dataclasses.replace(LOOSE_GATE, min_history=10_000, excluded_categories=EXCLUDED)
        assert gate(renamed, params) == [
            INSUFFICIENT_HISTORY,
            "excluded:category:stablecoin",
            "excluded:category:commodity",
            "excluded:category:equity",
            INSUFFICIENT_HISTORY,
            INSUFFICIENT_HISTORY,
        ]

    def test_a_pegged_series_is_excluded_whatever_its_name(self) -> None:
        base = make_universe()
        close = base.close.copy()
        close[3] = flat_near_one(close.shape[1])
        pegged_universe = dataclasses.replace(base, close=close)
        params = dataclasses.replace(LOOSE_GATE, excluded_categories=EXCLUDED)
        reasons = gate(pegged_universe, params)
        assert reasons[3] == "excluded:category:stablecoin"
        assert [r for i, r in enumerate(reasons) if i != 3] == [None] * (len(SYMBOLS) - 1)

    def test_the_peg_is_not_looked_for_unless_stablecoins_are_excluded(self) -> None:
        base = make_universe()
        close = base.close.copy()
        close[3] = flat_near_one(close.shape[1])
        renamed = dataclasses.replace(base, close=close, symbols=[*SYMBOLS[:5], "AAPLUSDT"])
        params = dataclasses.replace(LOOSE_GATE, excluded_categories=("equity",))
        assert gate(renamed, params) == [None] * 5 + ["excluded:category:equity"]

    def test_nothing_is_excluded_for_its_category_unless_asked(self) -> None:
        base = make_universe()
        renamed = dataclasses.replace(base, symbols=["BTCUSDT", "USDCUSDT", *SYMBOLS[2:]])
        assert gate(renamed, LOOSE_GATE) == [None] * len(SYMBOLS)

    def test_an_override_decides_before_the_name(self) -> None:
        base = make_universe()
        renamed = dataclasses.replace(
            base,
            symbols=["BTCUSDT", "USDCUSDT", *SYMBOLS[2:]],
            category=("equity", "crypto", None, None, None, None),
        )
        params = dataclasses.replace(LOOSE_GATE, excluded_categories=EXCLUDED)
        assert gate(renamed, params)[:3] == ["excluded:category:equity", None, None]
        assert gate(subset(renamed, np.array([1, 0])), params) == [None, "excluded:category:equity"]

    def test_a_configuration_read_back_from_json_is_equal(self) -> None:
        params = GateParams(excluded_categories=EXCLUDED)
        stored = json.loads(json.dumps(dataclasses.asdict(params)))
        assert GateParams(**stored) == params


class TestSetting:
    SETTING = SETTINGS["excluded_categories"]

    def test_defaults_to_everything_but_crypto(self) -> None:
        assert self.SETTING.default == ["stablecoin", "commodity", "equity"]
        assert self.SETTING.type == "array"

    def test_is_stored_in_the_registry_order(self) -> None:
        assert self.SETTING.check(["equity", "stablecoin"]) == ["stablecoin", "equity"]
        assert self.SETTING.check([]) == []

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("stablecoin", "must be a list of strings"),
            ([1], "must be a list of strings"),
            (["equity", "equity"], "must not name a value twice"),
            (["bonds"], '"bonds" is not one of crypto, stablecoin, commodity, equity'),
        ],
    )
    def test_refuses_what_is_not_a_list_of_distinct_categories(
        self, value: object, message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            self.SETTING.check(value)

    @pytest.mark.parametrize(
        ("raw", "value"), [("stablecoin, equity", ["stablecoin", "equity"]), ("", [])]
    )
    def test_the_command_line_sets_it_as_a_comma_separated_list(
        self, raw: str, value: list[str]
    ) -> None:
        assert parse_value("excluded_categories", "array", raw) == value


class TestEvidenceOrder:
    """`decide`: an override, the exchange's word, the data, the table (the floor)."""

    @pytest.mark.parametrize(
        ("base", "evidence", "decision"),
        [
            ("BTC", {"override": "equity", "exchange": "CRYPTO"}, ("equity", "override")),
            ("ZZZ", {"exchange": "STOCK", "data": "crypto"}, ("equity", "exchange")),
            ("PAXG", {"exchange": "METAL"}, ("commodity", "exchange")),
            ("ZZZ", {"exchange": "commodity"}, ("commodity", "exchange")),
            ("USDC", {"exchange": "CRYPTO"}, ("stablecoin", "table")),
            ("ZZZ", {"exchange": "CRYPTO", "data": "equity"}, ("crypto", "exchange")),
            ("ZZZ", {"exchange": "BONDS", "data": "crypto"}, ("crypto", "data")),
            ("MU", {"data": "commodity"}, ("equity", "data")),
            ("ZZZ", {"data": "commodity"}, ("commodity", "data")),
            ("MU", {"data": "crypto"}, ("equity", "table")),
            ("MU", {"data": "unknown"}, ("equity", "table")),
            ("ZZZ", {"data": "unknown"}, ("unknown", "data")),
            ("ZZZ", {"data": "crypto"}, ("crypto", "data")),
            ("ZZZ", {}, ("crypto", "table")),
        ],
    )
    def test_the_first_evidence_that_speaks_decides(
        self, base: str, evidence: dict[str, str], decision: tuple[str, str]
    ) -> None:
        made = decide(base, **evidence)
        assert (made.category, made.source) == decision
        assert made.category in KNOWN and made.source in SOURCES

    @pytest.mark.parametrize(
        ("base", "exchange", "data", "said"),
        [
            ("ZZZ", "CRYPTO", "equity", "the exchange says CRYPTO, the data equity"),
            ("ZZZ", "STOCK", "crypto", "the exchange says STOCK, the data crypto"),
            ("MU", None, "crypto", "the table says equity, the data crypto"),
            ("ZZZ", "STOCK", "equity", None),
            ("ZZZ", "METAL", "equity", None),
            ("MU", None, "commodity", None),
            ("ZZZ", None, "equity", None),
            ("ZZZ", "STOCK", "unknown", None),
            ("USDC", None, "crypto", None),
        ],
    )
    def test_a_disagreement_on_whether_it_is_crypto_is_named(
        self, base: str, exchange: str | None, data: str, said: str | None
    ) -> None:
        assert disagreement(base, exchange, data) == said

    def test_unknown_is_excluded_while_anything_is(self) -> None:
        assert is_excluded("unknown", ["stablecoin"])
        assert not is_excluded("unknown", [])
        assert is_excluded("equity", ["equity"]) and not is_excluded("crypto", ["equity"])

    def test_a_session_rule_verdict_excludes_at_the_gate(self) -> None:
        base = make_universe()
        given = dataclasses.replace(
            base,
            data_category=("crypto", "equity", "unknown", "commodity", None, "crypto"),
            exchange_class=(None, None, None, None, "STOCK", "METAL"),
        )
        params = dataclasses.replace(LOOSE_GATE, excluded_categories=EXCLUDED)
        assert gate(given, params) == [
            None,
            "excluded:category:equity",
            "excluded:category:unknown",
            "excluded:category:commodity",
            "excluded:category:equity",
            "excluded:category:commodity",
        ]
        assert gate(given, LOOSE_GATE) == [None] * 6  # nothing excluded: unknown passes too

    def test_the_apis_words_are_the_rules(self) -> None:
        assert get_args(ContractCategory) == KNOWN
        assert get_args(CategorySource) == SOURCES
        assert get_args(Category) == CATEGORIES
