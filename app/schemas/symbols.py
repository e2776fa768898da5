"""Contracts for the symbol universe."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.ticks import on_tick
from app.schemas.recorded import recorded_example

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
    "category_override": None,
    "lot_size": "1",
    "tick_size": "0.1",
    "multiplier": "0.001",
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


class SymbolCategoryUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"category": "stablecoin"}]}
    )

    category: Category | None = Field(
        description="The category to hold the symbol to; null: back to the table and the peg rule."
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
    category: Category = Field(
        description="What the contract is by its name: the admin's override, else the "
        "maintained table by base currency (crypto when it names none). A scoring run also "
        "counts a contract whose closes hold a peg to 1.0 as a stablecoin."
    )
    category_override: Category | None = Field(
        description="The category an admin set (null: the table and the peg rule decide)."
    )
    lot_size: Decimal
    tick_size: Decimal
    multiplier: Decimal = Field(description="Base coins per lot (1 USD per lot for inverse).")
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
