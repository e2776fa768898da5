"""Contracts for the symbol universe."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from app.market.contracts.data_source import Provenance
from app.market.contracts.trading_sessions import (
    CO_MOVE_MIN,
    MIN_HOURS_A_WEEKEND,
    MIN_SESSION_HOURS,
    NIGHT_WEEKDAYS,
    SESSION_HOURS,
    SESSION_SHARE,
    SILENT_MAX,
    TEMPLATES,
    WEEKEND_HOURS,
    WEEKEND_MAX,
)
from app.platform.core.ticks import on_tick
from app.platform.schemas.common import DecimalNumber, RequestBody
from app.platform.schemas.recorded import recorded_example

_SYMBOL_EXAMPLE: dict[str, Any] = {
    "symbol": "BTCUSDT",
    "kucoin_symbol": "XBTUSDTM",
    "ccxt_symbol": "BTC/USDT:USDT",
    "base_currency": "BTC",
    "quote_currency": "USDT",
    "status": "Open",
    "is_eligible": True,
    "eligibility_reason": None,
    "category": "crypto",
    "category_source": "exchange",
    "category_override": None,
    "asset_class": "CRYPTO",
    "category_figures": {
        "weekend_range": 0.5795,
        "weekend_move": 0.5142,
        "weekend_volume": 0.4896,
        "quietness": 0.1459,
        "session_share": 0.4756,
        "weekend_hours": 352,
        "weekday_hours": 576,
        "weekends": 8,
        "quiet_low": 0.0988,
        "quiet_high": 0.2153,
        "market_corr": 0.9617,
        "market_corr_low": 0.9545,
        "market_hours": 352,
        "night_template": "us",
        "night_quietness": 0.3058,
        "night_low": 0.1663,
        "night_high": 0.5624,
        "night_floor": 0.1663,
        "rule_category": "crypto",
    },
    "lot_size": 1.0,
    "tick_size": 0.1,
    "multiplier": 0.001,
    "max_leverage": 125,
    "mark_price": 110205.4,
    "turnover_24h": 635383419.43,
    "open_interest_lots": 5940782.0,
    "funding_rate": 0.000051,
    "listed_at": "2020-03-30T08:00:00Z",
    "last_seen_at": "2026-11-22T09:00:00Z",
    "delisted_at": None,
    "market_data_at": "2026-11-22T09:00:00Z",
    "data_age_s": 12.5,
    "stale": False,
}


Category = Literal["crypto", "stablecoin", "commodity", "equity"]
"""What an admin may hold a contract to (`app.market.contracts.categories.CATEGORIES`)."""
ContractCategory = Literal["crypto", "stablecoin", "commodity", "equity", "unknown"]
"""What a contract is: a category, or `unknown` while nothing can tell (`KNOWN`)."""
CategorySource = Literal["override", "exchange", "data", "table"]
"""Which evidence decided it (`app.market.contracts.categories.SOURCES`)."""
CATEGORY_DESCRIPTION = (
    "What the contract is, from the evidence in this order: an admin's override, KuCoin's "
    "own `assetClass` (STOCK, METAL, COMMODITY), the data (the session rule: a perpetual on "
    "a session-traded underlying goes quiet when its home market is shut, on weekday nights "
    "and at weekends; the peg rule for stablecoins), and a maintained table by base currency "
    "as the floor. `unknown`: too young for the session rule (a weekend and a week of weekday "
    "nights), or its evidence not clearly on either side yet; excluded while any category is."
)
_TEMPLATES = ", ".join(
    f"{t.name} (session {t.session[0]:02d}:00-{t.session[-1]:02d}:59, night "
    f"{t.night[0]:02d}:00-{t.night[-1]:02d}:59 UTC)"
    for t in TEMPLATES
)


class SessionFiguresRead(BaseModel):
    """The session rule's figures for the day it last decided (docs/decisions.md); a ratio is
    null where it could not be measured (no candle on one of its sides). Figures decided before
    2026-11-28 have no night fields."""

    weekend_range: float | None = Field(
        description="Median hourly high/low range on weekends (Saturday to Sunday 20:00 UTC) "
        f"over that of its {SESSION_HOURS} busiest weekday hours (Tuesday to Thursday)."
    )
    weekend_move: float | None = Field(
        description="The same for the median hourly |close/open| move."
    )
    weekend_volume: float | None = Field(description="The same for the median hourly volume.")
    quietness: float | None = Field(
        description=f"The three ratios multiplied: session-traded below {WEEKEND_MAX}."
    )
    session_share: float | None = Field(
        description=f"Its {SESSION_HOURS} busiest weekday hours' share of the day's typical "
        f"moves: a session-traded contract is `equity` from {SESSION_SHARE} (one session a "
        "day), else `commodity`."
    )
    weekend_hours: int = Field(
        description=f"Weekend candles read (a weekend counts with {MIN_HOURS_A_WEEKEND})."
    )
    weekday_hours: int = Field(
        description=f"Tuesday-to-Thursday candles read (a day's {MIN_SESSION_HOURS} busiest "
        "needed)."
    )
    weekends: int | None = Field(
        default=None,
        description=f"Weekends in the window with at least {MIN_HOURS_A_WEEKEND} of their "
        f"{WEEKEND_HOURS} hours (null: decided before the rule had its margin).",
    )
    quiet_low: float | None = Field(
        default=None,
        description="The quietness's one-sided 95 % lower bound (its sampling error over the "
        f"hours read): crypto from {WEEKEND_MAX} where the nights are awake.",
    )
    quiet_high: float | None = Field(
        default=None,
        description=f"Its upper bound: session-traded below {WEEKEND_MAX} (on a single "
        "weekend, only where the nights are read and not awake).",
    )
    market_corr: float | None = Field(
        default=None,
        description="Correlation of its weekend hours' log returns with the crypto market's "
        "(the mean of BTC's and ETH's).",
    )
    market_corr_low: float | None = Field(
        default=None,
        description=f"Its one-sided 95 % lower bound: from 1/√2 ({CO_MOVE_MIN:.4f}) it "
        "confirms crypto where the nights are awake, whatever the weekend says; it never "
        "withholds it.",
    )
    market_hours: int | None = Field(
        default=None, description="Weekend hours with a return of both it and the market."
    )
    night_template: Literal["us", "europe", "asia"] | None = Field(
        default=None,
        description=f"The session template whose weekday nights read quietest: {_TEMPLATES}. "
        f"Null before {NIGHT_WEEKDAYS} weekdays of a template's hours (or decided before "
        "2026-11-28).",
    )
    night_quietness: float | None = Field(
        default=None,
        description="Its weekday nights' median range, move and volume over its session "
        "hours', multiplied.",
    )
    night_low: float | None = Field(
        default=None, description="Its one-sided lower bound (shared over the templates)."
    )
    night_high: float | None = Field(
        default=None,
        description=f"Its upper bound: silent nights, `equity`, below {SILENT_MAX}.",
    )
    night_floor: float | None = Field(
        default=None,
        description="The smallest lower bound over the templates read: the nights are awake "
        f"from {SILENT_MAX} (a market never shut, or shut only at weekends).",
    )
    rule_category: Literal["crypto", "commodity", "equity", "unknown"] = Field(
        validation_alias=AliasChoices("rule_category", "verdict"),  # the stored figures' name
        description="What the rule decided from these figures.",
    )


class MarketDataRead(BaseModel):
    """Where the candles behind the answer's figures came from
    (`app.market.contracts.data_source`)."""

    sources: list[Literal["live", "simulator", "custom"]] = Field(
        description="The kinds of source that stored the candles the figures read: `live` "
        "KuCoin, the `simulator` (generated prices, or another exchange's history replayed), a "
        "`custom` URL; empty where none was recorded (candles stored before 2026-11-28)."
    )
    simulated: bool = Field(
        description="Some of those candles came from the KuCoin simulator: the figures are not "
        "KuCoin's market's evidence."
    )
    note: str = Field(description="The same in words, to show beside the figures.")

    @classmethod
    def of(cls, provenance: Provenance) -> MarketDataRead:
        return cls.model_validate(provenance.to_json())


def market_data_of(data: Mapping[str, Any] | None) -> MarketDataRead:
    """A stored report's `data.market_data` (`app.lab.replay.replaying.data_section`); a report
    stored before it was kept, or without a `data`, reads as not recorded."""
    kept = (data or {}).get("market_data")
    return MarketDataRead.model_validate(kept) if kept else MarketDataRead.of(Provenance(()))


MarketData = Annotated[
    MarketDataRead | None,
    Field(description="Where the candles behind these figures came from; null: no figure."),
]


DecidedBy = Annotated[CategorySource, Field(description="Which evidence decided `category`.")]
RuleFigures = Annotated[
    SessionFiguresRead | None,
    Field(description="The session rule's figures on its last day; null before it has run."),
]


class SymbolCategoryUpdate(RequestBody):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"category": "stablecoin"}]}
    )

    category: Category | None = Field(
        description="The category to hold the symbol to; null: back to the exchange's word, "
        "the data and the table."
    )


class SymbolRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_SYMBOL_EXAMPLE]}
    )

    symbol: str = Field(description="Canonical form, e.g. BTCUSDT.")
    kucoin_symbol: str = Field(description="KuCoin futures code, e.g. XBTUSDTM.")
    ccxt_symbol: str = Field(
        description="ccxt's unified symbol for the market, e.g. BTC/USDT:USDT (ccxt renames a "
        "few KuCoin currencies: ALT is APTOSLAUNCHTOKEN there)."
    )
    base_currency: str
    quote_currency: str
    status: str = Field(description="KuCoin status (Open, Paused, …) or Delisted when gone.")
    is_eligible: bool
    eligibility_reason: str | None
    category: ContractCategory = Field(
        description=CATEGORY_DESCRIPTION + " A scoring run also counts a contract whose closes "
        "hold a peg to 1.0 as a stablecoin (its score card says so)."
    )
    category_source: DecidedBy
    category_override: Category | None = Field(
        description="The category an admin set (null: the other evidence decides)."
    )
    asset_class: str | None = Field(
        description="What KuCoin's contract row says the underlying is (`assetClass`: CRYPTO, "
        "STOCK, METAL, COMMODITY); null where the row does not say."
    )
    category_figures: RuleFigures
    lot_size: DecimalNumber
    tick_size: DecimalNumber
    multiplier: DecimalNumber = Field(description="Base coins per lot (1 USD per lot for inverse).")
    max_leverage: int
    mark_price: float | None = Field(
        description="The last synced mark price, on the contract's tick (KuCoin computes it on "
        "the index's finer step)."
    )
    turnover_24h: float | None = Field(description="24 h turnover in the quote currency.")
    open_interest_lots: float | None
    funding_rate: float | None = Field(description="Current funding rate per interval.")
    listed_at: datetime | None
    last_seen_at: datetime
    delisted_at: datetime | None
    market_data_at: datetime | None
    data_age_s: float | None = Field(
        description="Seconds since this row's market data was fetched."
    )
    stale: bool

    @model_validator(mode="after")
    def _mark_on_tick(self) -> SymbolRead:
        if self.mark_price is not None:
            self.mark_price = on_tick(self.mark_price, self.tick_size)
        return self


class SymbolPage(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("SymbolPage"))

    items: list[SymbolRead]
    total: int
    limit: int
    offset: int


class SyncResultRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "source": "https://api-futures.kucoin.com",
                    "synced_at": "2026-11-22T09:00:00Z",
                    "contracts": 684,
                    "added": 3,
                    "updated": 681,
                    "delisted": ["OMNIUSDT"],
                    "relisted": [],
                    "eligible": 640,
                    "duration_ms": 412.7,
                }
            ]
        },
    )

    source: str
    synced_at: datetime
    contracts: int
    added: int
    updated: int
    delisted: list[str]
    relisted: list[str]
    eligible: int
    duration_ms: float
