from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.symbol_read_category import SymbolReadCategory, check_symbol_read_category
from ..models.symbol_read_category_override_type_0 import (
    SymbolReadCategoryOverrideType0,
    check_symbol_read_category_override_type_0,
)
from ..models.symbol_read_category_source import SymbolReadCategorySource, check_symbol_read_category_source

if TYPE_CHECKING:
    from ..models.session_figures_read import SessionFiguresRead


T = TypeVar("T", bound="SymbolRead")


@_attrs_define
class SymbolRead:
    """
    Attributes:
        asset_class (None | str): What KuCoin's contract row says the underlying is (`assetClass`: CRYPTO, STOCK, METAL,
            COMMODITY); null where the row does not say.
        base_currency (str):
        category (SymbolReadCategory): What the contract is, from the evidence in this order: an admin's override,
            KuCoin's own `assetClass` (STOCK, METAL, COMMODITY), the data (the session rule: a perpetual on a session-traded
            underlying goes quiet when its home market is shut, on weekday nights and at weekends; the peg rule for
            stablecoins), and a maintained table by base currency as the floor. `unknown`: too young for the session rule (a
            weekend and a week of weekday nights), or its evidence not clearly on either side yet; excluded while any
            category is. A scoring run also counts a contract whose closes hold a peg to 1.0 as a stablecoin (its score card
            says so).
        category_figures (None | SessionFiguresRead): The session rule's figures on its last day; null before it has
            run.
        category_override (None | SymbolReadCategoryOverrideType0): The category an admin set (null: the other evidence
            decides).
        category_source (SymbolReadCategorySource): Which evidence decided `category`.
        ccxt_symbol (str): ccxt's unified symbol for the market, e.g. BTC/USDT:USDT (ccxt renames a few KuCoin
            currencies: ALT is APTOSLAUNCHTOKEN there).
        data_age_s (float | None): Seconds since this row's market data was fetched.
        delisted_at (datetime.datetime | None):
        eligibility_reason (None | str):
        funding_rate (float | None): Current funding rate per interval.
        is_eligible (bool):
        kucoin_symbol (str): KuCoin futures code, e.g. XBTUSDTM.
        last_seen_at (datetime.datetime):
        listed_at (datetime.datetime | None):
        lot_size (float):
        mark_price (float | None): The last synced mark price, on the contract's tick (KuCoin computes it on the index's
            finer step).
        market_data_at (datetime.datetime | None):
        max_leverage (int):
        multiplier (float): Base coins per lot (1 USD per lot for inverse).
        open_interest_lots (float | None):
        quote_currency (str):
        stale (bool):
        status (str): KuCoin status (Open, Paused, …) or Delisted when gone.
        symbol (str): Canonical form, e.g. BTCUSDT.
        tick_size (float):
        turnover_24h (float | None): 24 h turnover in the quote currency.
    """

    asset_class: None | str
    base_currency: str
    category: SymbolReadCategory
    category_figures: None | SessionFiguresRead
    category_override: None | SymbolReadCategoryOverrideType0
    category_source: SymbolReadCategorySource
    ccxt_symbol: str
    data_age_s: float | None
    delisted_at: datetime.datetime | None
    eligibility_reason: None | str
    funding_rate: float | None
    is_eligible: bool
    kucoin_symbol: str
    last_seen_at: datetime.datetime
    listed_at: datetime.datetime | None
    lot_size: float
    mark_price: float | None
    market_data_at: datetime.datetime | None
    max_leverage: int
    multiplier: float
    open_interest_lots: float | None
    quote_currency: str
    stale: bool
    status: str
    symbol: str
    tick_size: float
    turnover_24h: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.session_figures_read import SessionFiguresRead  # noqa: PLC0415

        asset_class: None | str
        asset_class = self.asset_class

        base_currency = self.base_currency

        category: str = self.category

        category_figures: dict[str, Any] | None
        if isinstance(self.category_figures, SessionFiguresRead):
            category_figures = self.category_figures.to_dict()
        else:
            category_figures = self.category_figures

        category_override: None | str
        if isinstance(self.category_override, str):
            category_override = self.category_override
        else:
            category_override = self.category_override

        category_source: str = self.category_source

        ccxt_symbol = self.ccxt_symbol

        data_age_s: float | None
        data_age_s = self.data_age_s

        delisted_at: None | str
        if isinstance(self.delisted_at, datetime.datetime):
            delisted_at = self.delisted_at.isoformat()
        else:
            delisted_at = self.delisted_at

        eligibility_reason: None | str
        eligibility_reason = self.eligibility_reason

        funding_rate: float | None
        funding_rate = self.funding_rate

        is_eligible = self.is_eligible

        kucoin_symbol = self.kucoin_symbol

        last_seen_at = self.last_seen_at.isoformat()

        listed_at: None | str
        if isinstance(self.listed_at, datetime.datetime):
            listed_at = self.listed_at.isoformat()
        else:
            listed_at = self.listed_at

        lot_size = self.lot_size

        mark_price: float | None
        mark_price = self.mark_price

        market_data_at: None | str
        if isinstance(self.market_data_at, datetime.datetime):
            market_data_at = self.market_data_at.isoformat()
        else:
            market_data_at = self.market_data_at

        max_leverage = self.max_leverage

        multiplier = self.multiplier

        open_interest_lots: float | None
        open_interest_lots = self.open_interest_lots

        quote_currency = self.quote_currency

        stale = self.stale

        status = self.status

        symbol = self.symbol

        tick_size = self.tick_size

        turnover_24h: float | None
        turnover_24h = self.turnover_24h

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_class": asset_class,
                "base_currency": base_currency,
                "category": category,
                "category_figures": category_figures,
                "category_override": category_override,
                "category_source": category_source,
                "ccxt_symbol": ccxt_symbol,
                "data_age_s": data_age_s,
                "delisted_at": delisted_at,
                "eligibility_reason": eligibility_reason,
                "funding_rate": funding_rate,
                "is_eligible": is_eligible,
                "kucoin_symbol": kucoin_symbol,
                "last_seen_at": last_seen_at,
                "listed_at": listed_at,
                "lot_size": lot_size,
                "mark_price": mark_price,
                "market_data_at": market_data_at,
                "max_leverage": max_leverage,
                "multiplier": multiplier,
                "open_interest_lots": open_interest_lots,
                "quote_currency": quote_currency,
                "stale": stale,
                "status": status,
                "symbol": symbol,
                "tick_size": tick_size,
                "turnover_24h": turnover_24h,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_figures_read import SessionFiguresRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_asset_class(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        asset_class = _parse_asset_class(d.pop("asset_class"))

        base_currency = d.pop("base_currency")

        category = check_symbol_read_category(d.pop("category"))

        def _parse_category_figures(data: object) -> None | SessionFiguresRead:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                category_figures_type_0 = SessionFiguresRead.from_dict(data)

                return category_figures_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SessionFiguresRead, data)

        category_figures = _parse_category_figures(d.pop("category_figures"))

        def _parse_category_override(data: object) -> None | SymbolReadCategoryOverrideType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_override_type_0 = check_symbol_read_category_override_type_0(data)

                return category_override_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SymbolReadCategoryOverrideType0, data)

        category_override = _parse_category_override(d.pop("category_override"))

        category_source = check_symbol_read_category_source(d.pop("category_source"))

        ccxt_symbol = d.pop("ccxt_symbol")

        def _parse_data_age_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        data_age_s = _parse_data_age_s(d.pop("data_age_s"))

        def _parse_delisted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delisted_at_type_0 = datetime.datetime.fromisoformat(data)

                return delisted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        delisted_at = _parse_delisted_at(d.pop("delisted_at"))

        def _parse_eligibility_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        eligibility_reason = _parse_eligibility_reason(d.pop("eligibility_reason"))

        def _parse_funding_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        funding_rate = _parse_funding_rate(d.pop("funding_rate"))

        is_eligible = d.pop("is_eligible")

        kucoin_symbol = d.pop("kucoin_symbol")

        last_seen_at = datetime.datetime.fromisoformat(d.pop("last_seen_at"))

        def _parse_listed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                listed_at_type_0 = datetime.datetime.fromisoformat(data)

                return listed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        listed_at = _parse_listed_at(d.pop("listed_at"))

        lot_size = d.pop("lot_size")

        def _parse_mark_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mark_price = _parse_mark_price(d.pop("mark_price"))

        def _parse_market_data_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                market_data_at_type_0 = datetime.datetime.fromisoformat(data)

                return market_data_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        market_data_at = _parse_market_data_at(d.pop("market_data_at"))

        max_leverage = d.pop("max_leverage")

        multiplier = d.pop("multiplier")

        def _parse_open_interest_lots(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        open_interest_lots = _parse_open_interest_lots(d.pop("open_interest_lots"))

        quote_currency = d.pop("quote_currency")

        stale = d.pop("stale")

        status = d.pop("status")

        symbol = d.pop("symbol")

        tick_size = d.pop("tick_size")

        def _parse_turnover_24h(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        turnover_24h = _parse_turnover_24h(d.pop("turnover_24h"))

        symbol_read = cls(
            asset_class=asset_class,
            base_currency=base_currency,
            category=category,
            category_figures=category_figures,
            category_override=category_override,
            category_source=category_source,
            ccxt_symbol=ccxt_symbol,
            data_age_s=data_age_s,
            delisted_at=delisted_at,
            eligibility_reason=eligibility_reason,
            funding_rate=funding_rate,
            is_eligible=is_eligible,
            kucoin_symbol=kucoin_symbol,
            last_seen_at=last_seen_at,
            listed_at=listed_at,
            lot_size=lot_size,
            mark_price=mark_price,
            market_data_at=market_data_at,
            max_leverage=max_leverage,
            multiplier=multiplier,
            open_interest_lots=open_interest_lots,
            quote_currency=quote_currency,
            stale=stale,
            status=status,
            symbol=symbol,
            tick_size=tick_size,
            turnover_24h=turnover_24h,
        )

        symbol_read.additional_properties = d
        return symbol_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
