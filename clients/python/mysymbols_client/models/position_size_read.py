from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.market_data_read import MarketDataRead


T = TypeVar("T", bound="PositionSizeRead")


@_attrs_define
class PositionSizeRead:
    """
    Attributes:
        cap_reason (None | str):
        capped (bool):
        contract_notional_usdt (float):
        contracts (int): Lots, a multiple of the contract's lot size.
        max_leverage (int):
        min_margin_usdt (float):
        notional_usdt (float):
        price (float):
        price_source (str):
        symbol (str):
        volatility (float | None): The member's annualised realised volatility, when `volatility_adjusted` was asked
            for; null otherwise.
        volatility_adjusted (bool): Whether the volatility scaling reduced the notional: true only when it was asked for
            (`?volatility_adjusted=true`) and the member's volatility is above `target_volatility`. False when it was not
            asked for, and when it was but the volatility is at or below the target (the scaling never raises a size):
            `volatility_scale` tells the two apart. The name is the request parameter's, kept for compatibility; it answers
            whether the size changed, not what was asked.
        volatility_scale (float | None): The factor the notional was multiplied by, min(1, target_volatility /
            volatility): 1 when the scaling was asked for and left the size as it was; null when it was not asked for.
        weight_pct (float):
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
    """

    cap_reason: None | str
    capped: bool
    contract_notional_usdt: float
    contracts: int
    max_leverage: int
    min_margin_usdt: float
    notional_usdt: float
    price: float
    price_source: str
    symbol: str
    volatility: float | None
    volatility_adjusted: bool
    volatility_scale: float | None
    weight_pct: float
    market_data: MarketDataRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        cap_reason: None | str
        cap_reason = self.cap_reason

        capped = self.capped

        contract_notional_usdt = self.contract_notional_usdt

        contracts = self.contracts

        max_leverage = self.max_leverage

        min_margin_usdt = self.min_margin_usdt

        notional_usdt = self.notional_usdt

        price = self.price

        price_source = self.price_source

        symbol = self.symbol

        volatility: float | None
        volatility = self.volatility

        volatility_adjusted = self.volatility_adjusted

        volatility_scale: float | None
        volatility_scale = self.volatility_scale

        weight_pct = self.weight_pct

        market_data: dict[str, Any] | None | Unset
        if isinstance(self.market_data, Unset):
            market_data = UNSET
        elif isinstance(self.market_data, MarketDataRead):
            market_data = self.market_data.to_dict()
        else:
            market_data = self.market_data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cap_reason": cap_reason,
                "capped": capped,
                "contract_notional_usdt": contract_notional_usdt,
                "contracts": contracts,
                "max_leverage": max_leverage,
                "min_margin_usdt": min_margin_usdt,
                "notional_usdt": notional_usdt,
                "price": price,
                "price_source": price_source,
                "symbol": symbol,
                "volatility": volatility,
                "volatility_adjusted": volatility_adjusted,
                "volatility_scale": volatility_scale,
                "weight_pct": weight_pct,
            }
        )
        if market_data is not UNSET:
            field_dict["market_data"] = market_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_cap_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cap_reason = _parse_cap_reason(d.pop("cap_reason"))

        capped = d.pop("capped")

        contract_notional_usdt = d.pop("contract_notional_usdt")

        contracts = d.pop("contracts")

        max_leverage = d.pop("max_leverage")

        min_margin_usdt = d.pop("min_margin_usdt")

        notional_usdt = d.pop("notional_usdt")

        price = d.pop("price")

        price_source = d.pop("price_source")

        symbol = d.pop("symbol")

        def _parse_volatility(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        volatility = _parse_volatility(d.pop("volatility"))

        volatility_adjusted = d.pop("volatility_adjusted")

        def _parse_volatility_scale(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        volatility_scale = _parse_volatility_scale(d.pop("volatility_scale"))

        weight_pct = d.pop("weight_pct")

        def _parse_market_data(data: object) -> MarketDataRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                market_data_type_0 = MarketDataRead.from_dict(data)

                return market_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketDataRead | None | Unset, data)

        market_data = _parse_market_data(d.pop("market_data", UNSET))

        position_size_read = cls(
            cap_reason=cap_reason,
            capped=capped,
            contract_notional_usdt=contract_notional_usdt,
            contracts=contracts,
            max_leverage=max_leverage,
            min_margin_usdt=min_margin_usdt,
            notional_usdt=notional_usdt,
            price=price,
            price_source=price_source,
            symbol=symbol,
            volatility=volatility,
            volatility_adjusted=volatility_adjusted,
            volatility_scale=volatility_scale,
            weight_pct=weight_pct,
            market_data=market_data,
        )

        position_size_read.additional_properties = d
        return position_size_read

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
