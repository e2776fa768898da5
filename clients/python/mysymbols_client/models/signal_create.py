from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.signal_create_direction import SignalCreateDirection, check_signal_create_direction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.signal_create_payload import SignalCreatePayload


T = TypeVar("T", bound="SignalCreate")


@_attrs_define
class SignalCreate:
    """
    Attributes:
        confidence (float): 0..1; kept to 4 decimals.
        direction (SignalCreateDirection):
        signal_type (str):
        source (str):
        strength (float): 0..1; kept to 4 decimals.
        expires_at (datetime.datetime | None | Unset):
        payload (SignalCreatePayload | Unset): The sender's own fields: at most 100 keys, 4096 bytes as compact JSON and
            5 levels deep.
        symbol (None | str | Unset):
        timeframe (None | str | Unset):
    """

    confidence: float
    direction: SignalCreateDirection
    signal_type: str
    source: str
    strength: float
    expires_at: datetime.datetime | None | Unset = UNSET
    payload: SignalCreatePayload | Unset = UNSET
    symbol: None | str | Unset = UNSET
    timeframe: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        confidence = self.confidence

        direction: str = self.direction

        signal_type = self.signal_type

        source = self.source

        strength = self.strength

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        symbol: None | str | Unset
        if isinstance(self.symbol, Unset):
            symbol = UNSET
        else:
            symbol = self.symbol

        timeframe: None | str | Unset
        if isinstance(self.timeframe, Unset):
            timeframe = UNSET
        else:
            timeframe = self.timeframe

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "confidence": confidence,
                "direction": direction,
                "signal_type": signal_type,
                "source": source,
                "strength": strength,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if payload is not UNSET:
            field_dict["payload"] = payload
        if symbol is not UNSET:
            field_dict["symbol"] = symbol
        if timeframe is not UNSET:
            field_dict["timeframe"] = timeframe

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_create_payload import SignalCreatePayload  # noqa: PLC0415

        d = dict(src_dict)
        confidence = d.pop("confidence")

        direction = check_signal_create_direction(d.pop("direction"))

        signal_type = d.pop("signal_type")

        source = d.pop("source")

        strength = d.pop("strength")

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        _payload = d.pop("payload", UNSET)
        payload: SignalCreatePayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = SignalCreatePayload.from_dict(_payload)

        def _parse_symbol(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        symbol = _parse_symbol(d.pop("symbol", UNSET))

        def _parse_timeframe(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timeframe = _parse_timeframe(d.pop("timeframe", UNSET))

        signal_create = cls(
            confidence=confidence,
            direction=direction,
            signal_type=signal_type,
            source=source,
            strength=strength,
            expires_at=expires_at,
            payload=payload,
            symbol=symbol,
            timeframe=timeframe,
        )

        return signal_create
