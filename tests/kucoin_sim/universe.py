"""Static contract rows: the recorded 406-row list (read in place) or N generated perpetuals."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tests.kucoin_sim.config import RECORDED_CONTRACTS, SimConfig
from tests.kucoin_sim.sessions import PROFILES, symbol_key

logger = logging.getLogger(__name__)

# Key order of a 2025-08 `contracts/active` row (ROQ recording), volatile fields included.
# fmt: off
FIELD_ORDER = (
    "symbol", "rootSymbol", "type", "firstOpenDate", "expireDate", "settleDate", "baseCurrency",
    "quoteCurrency", "settleCurrency", "maxOrderQty", "maxPrice", "lotSize", "tickSize",
    "indexPriceTickSize", "multiplier", "initialMargin", "maintainMargin", "maxRiskLimit",
    "minRiskLimit", "riskStep", "makerFeeRate", "takerFeeRate", "takerFixFee", "makerFixFee",
    "settlementFee", "isDeleverage", "isQuanto", "isInverse", "markMethod", "fairMethod",
    "fundingBaseSymbol", "fundingQuoteSymbol", "fundingRateSymbol", "indexSymbol",
    "settlementSymbol", "status", "fundingFeeRate", "predictedFundingFeeRate",
    "fundingRateGranularity", "fundingRateCap", "fundingRateFloor", "period", "openInterest",
    "turnoverOf24h", "volumeOf24h", "markPrice", "indexPrice", "lastTradePrice",
    "nextFundingRateTime", "nextFundingRateDateTime", "maxLeverage", "sourceExchanges",
    "premiumsSymbol1M", "premiumsSymbol8H", "fundingBaseSymbol1M", "fundingQuoteSymbol1M",
    "lowPrice", "highPrice", "priceChgPct", "priceChg", "k", "m", "f", "mmrLimit",
    "mmrLevConstant", "supportCross", "buyLimit", "sellLimit", "adjustK", "adjustM",
    "adjustMmrLevConstant", "adjustActiveTime", "crossRiskLimit",
)
# fmt: on


@lru_cache(maxsize=4096)
def decimals(step: float) -> int:
    """Decimal places of a tick such as 0.001 or 1e-05."""
    exponent = Decimal(repr(step)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def to_tick(value: float, step: float) -> float:
    """Snap to the tick grid without float noise."""
    return round(round(value / step) * step, decimals(step))


@dataclass
class Spec:
    """One contract: its static row plus what the series mapping needs."""

    row: dict[str, Any]
    target_price: float
    listed_ms: int
    band: float
    generated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    session: str | None = None
    """A session-traded contract's kind of underlying ("equity", "commodity"); else None."""

    @property
    def symbol(self) -> str:
        """Contract id such as `XBTUSDTM`."""
        return str(self.row["symbol"])

    @property
    def base(self) -> str:
        """Base currency (`XBT`, `1000BONK`...)."""
        return str(self.row["baseCurrency"])

    @property
    def tick(self) -> float:
        """Price tick."""
        return float(self.row["tickSize"])

    @property
    def index_tick(self) -> float:
        """Tick of mark/index prices."""
        return float(self.row.get("indexPriceTickSize") or self.row["tickSize"])

    @property
    def multiplier(self) -> float:
        """Coins per lot (-1 for inverse)."""
        return float(self.row["multiplier"])

    @property
    def inverse(self) -> bool:
        """Coin-margined inverse contract (1 lot = 1 USD)."""
        return bool(self.row["isInverse"])

    @property
    def perpetual(self) -> bool:
        """`FFWCSX` perpetual (dated futures have no funding)."""
        return self.row["type"] == "FFWCSX"


def _complete(row: dict[str, Any]) -> dict[str, Any]:
    """Add the 2025 static fields the 2025-05 crawl predates."""
    out = dict(row)
    perpetual = out["type"] == "FFWCSX"
    cap = round(0.75 * float(out["maintainMargin"]), 6) if perpetual else None
    out.setdefault("fundingRateCap", cap)
    out.setdefault("fundingRateFloor", -cap if cap is not None else None)
    out.setdefault("period", 1 if perpetual else None)
    for key in ("adjustK", "adjustM", "adjustMmrLevConstant", "adjustActiveTime"):
        out.setdefault(key, None)
    out.setdefault("crossRiskLimit", float(out["maxRiskLimit"]) * 1000.0)
    return out


def recorded_specs(path: Path) -> list[Spec]:
    """The 406 recorded rows, read in place; prices start at their 2025-05 level."""
    rows = json.loads(path.read_text())
    specs = []
    for row in rows:
        buy, sell = float(row["buyLimit"]), float(row["sellLimit"])
        mid = (buy + sell) / 2
        band = (buy - sell) / (buy + sell) if mid > 0 else 0.05
        specs.append(Spec(_complete(row), mid, int(row["firstOpenDate"] or 0), band))
    return specs


def _perp_row(symbol: str, base: str, **fields: Any) -> dict[str, Any]:
    """A USDT-margined perpetual row with KuCoin's usual static values."""
    lev = int(fields.pop("maxLeverage"))
    im = round(1 / lev, 4)
    row: dict[str, Any] = {
        "symbol": symbol,
        "rootSymbol": "USDT",
        "type": "FFWCSX",
        "firstOpenDate": 0,
        "expireDate": None,
        "settleDate": None,
        "baseCurrency": base,
        "quoteCurrency": "USDT",
        "settleCurrency": "USDT",
        "maxOrderQty": 1000000,
        "maxPrice": 1000000.0,
        "lotSize": 1,
        "initialMargin": im,
        "maintainMargin": round(im / 2, 5),
        "maxRiskLimit": 10000,
        "minRiskLimit": 10000,
        "riskStep": 5000,
        "makerFeeRate": 0.0002,
        "takerFeeRate": 0.0006,
        "takerFixFee": 0.0,
        "makerFixFee": 0.0,
        "settlementFee": None,
        "isDeleverage": True,
        "isQuanto": False,
        "isInverse": False,
        "markMethod": "FairPrice",
        "fairMethod": "FundingRate",
        "fundingBaseSymbol": f".{base}INT8H",
        "fundingQuoteSymbol": ".USDTINT8H",
        "fundingRateSymbol": f".{symbol}FPI8H",
        "indexSymbol": f".K{base}USDT",
        "settlementSymbol": "",
        "status": "Open",
        "maxLeverage": lev,
        "sourceExchanges": ["binance", "okex", "bybit", "gateio", "kucoin"],
        "premiumsSymbol1M": f".{symbol}PI",
        "premiumsSymbol8H": f".{symbol}PI8H",
        "fundingBaseSymbol1M": f".{base}INT",
        "fundingQuoteSymbol1M": ".USDTINT",
        "k": 26000.0,
        "m": 9000.0,
        "f": 1.3,
        "mmrLimit": 0.3,
        "mmrLevConstant": float(lev),
        "supportCross": True,
        "buyLimit": 0.0,
        "sellLimit": 0.0,
    }
    row.update(fields)
    return _complete(row)


def _majors() -> list[Spec]:
    """XBTUSDTM and ETHUSDTM with their published contract specs."""
    common = {"isQuanto": True, "k": 490.0, "m": 300.0, "crossRiskLimit": 5.0e8}
    xbt = _perp_row(
        "XBTUSDTM",
        "XBT",
        maxLeverage=125,
        firstOpenDate=1585555200000,
        tickSize=0.1,
        indexPriceTickSize=0.01,
        multiplier=0.001,
        initialMargin=0.008,
        maintainMargin=0.004,
        maxRiskLimit=100000,
        minRiskLimit=100000,
        riskStep=50000,
        sourceExchanges=["okex", "binance", "kucoin", "bybit", "bitmart", "gateio"],
        **common,
    )
    eth = _perp_row(
        "ETHUSDTM",
        "ETH",
        maxLeverage=100,
        firstOpenDate=1591086000000,
        tickSize=0.01,
        indexPriceTickSize=0.01,
        multiplier=0.01,
        initialMargin=0.01,
        maintainMargin=0.005,
        maxRiskLimit=300000,
        minRiskLimit=300000,
        riskStep=150000,
        sourceExchanges=["okex", "binance", "kucoin", "gateio", "bybit", "bitget"],
        **{**common, "k": 6610.0, "m": 4110.0, "crossRiskLimit": 4.0e8},
    )
    return [Spec(xbt, 0.0, 1585555200000, 0.05), Spec(eth, 0.0, 1591086000000, 0.05)]


def generated_specs(n: int, seed: int) -> list[Spec]:
    """XBTUSDTM, ETHUSDTM, then SIM001USDTM... with seeded prices, ticks and multipliers."""
    specs = _majors()
    for i in range(1, n - 1):
        rng = np.random.default_rng([seed, 2_000, i])
        target = float(10 ** rng.uniform(-3.5, 3.0))
        tick = float(f"1e{math.floor(math.log10(target)) - 4}")
        mult_exp = round(math.log10(float(10 ** rng.uniform(0.5, 2.0)) / target))
        multiplier = float(f"1e{mult_exp}")
        lev = int(rng.choice([75, 50, 30, 20], p=[0.2, 0.4, 0.25, 0.15]))
        base = f"SIM{i:03d}"
        row = _perp_row(
            f"{base}USDTM",
            base,
            maxLeverage=lev,
            tickSize=tick,
            indexPriceTickSize=tick,
            multiplier=multiplier,
        )
        specs.append(Spec(row, target, 0, 0.1, generated=True))
    return specs


def extra_specs(path: Path, config: SimConfig) -> list[Spec]:
    """`config.extra_contracts`' recorded rows, in the order asked (KeyError for one the
    recorded list lacks; FileNotFoundError without the list)."""
    if not config.extra_contracts:
        return []
    if not path.exists():
        raise FileNotFoundError(f"{path} absent: extra_contracts need the recorded list")
    recorded = {spec.symbol: spec for spec in recorded_specs(path)}
    missing = [s for s in config.extra_contracts if s not in recorded]
    if missing:
        raise KeyError(f"not in the recorded contract list: {', '.join(missing)}")
    return [recorded[symbol] for symbol in config.extra_contracts]


def session_specs(config: SimConfig) -> list[Spec]:
    """`config.session_traded`'s contracts: perpetual rows with a seeded price level (by kind),
    tick and multiplier, as generated ones have."""
    specs = []
    for symbol, kind in config.session_traded.items():
        profile = PROFILES[kind]
        rng = np.random.default_rng([config.seed, 5_000, symbol_key(symbol)])
        target = float(10 ** rng.uniform(*profile.price))
        tick = float(f"1e{math.floor(math.log10(target)) - 4}")
        multiplier = float(f"1e{round(math.log10(float(10 ** rng.uniform(0.5, 2.0)) / target))}")
        row = _perp_row(
            symbol,
            symbol.removesuffix("USDTM"),
            maxLeverage=profile.leverage,
            tickSize=tick,
            indexPriceTickSize=tick,
            multiplier=multiplier,
        )
        specs.append(Spec(row, target, 0, 0.1, generated=True, session=kind))
    return specs


def asset_class_fields(value: str) -> dict[str, Any]:
    """The 2026 fields saying what a row's underlying is, as KuCoin pairs them."""
    stock = value == "STOCK"
    return {
        "marketType": "NASDAQ" if stock else "CRYPTO",
        "assetClass": value,
        "subMarketType": "US.STOCK" if stock else None,
    }


def label_asset_classes(specs: list[Spec], asset_classes: Mapping[str, str]) -> None:
    """Put `assetClass` (and its companions) on the named rows (KeyError for one not listed)."""
    by_symbol = {spec.symbol: spec for spec in specs}
    missing = [symbol for symbol in asset_classes if symbol not in by_symbol]
    if missing:
        raise KeyError(f"asset_classes names contracts not listed: {', '.join(missing)}")
    for symbol, value in asset_classes.items():
        by_symbol[symbol].row.update(asset_class_fields(value))


def build_specs(config: SimConfig) -> list[Spec]:
    """Specs for `config.universe`, then the session-traded ones (always last); a missing
    recorded list falls back to 406 generated rows."""
    path = config.shared_dir / "kucoin-fixtures" / RECORDED_CONTRACTS
    if isinstance(config.universe, int):
        specs = generated_specs(config.universe, config.seed) + extra_specs(path, config)
    elif not path.exists():
        logger.warning("%s absent: generating 406 contracts instead of the recorded list", path)
        specs = generated_specs(406, config.seed)
    else:
        specs = recorded_specs(path)
    taken = {spec.symbol for spec in specs} & set(config.session_traded)
    if taken:
        raise ValueError(f"session_traded names listed contracts: {', '.join(sorted(taken))}")
    specs += session_specs(config)
    label_asset_classes(specs, config.asset_classes)
    return specs
