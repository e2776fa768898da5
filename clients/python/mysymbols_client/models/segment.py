from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """A span under one configuration and costs (a changed configuration hash, fee or
    slippage starts a new one).

        Attributes:
            config_hash (str):
            decisions (int):
            fee_bps (float): track_record_fee_bps when its decisions were marked.
            from_ (datetime.datetime):
            slippage_bps (float): track_record_slippage_bps when its decisions were marked.
            to (datetime.datetime):
    """

    config_hash: str
    decisions: int
    fee_bps: float
    from_: datetime.datetime
    slippage_bps: float
    to: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        config_hash = self.config_hash

        decisions = self.decisions

        fee_bps = self.fee_bps

        from_ = self.from_.isoformat()

        slippage_bps = self.slippage_bps

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "config_hash": config_hash,
                "decisions": decisions,
                "fee_bps": fee_bps,
                "from": from_,
                "slippage_bps": slippage_bps,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        config_hash = d.pop("config_hash")

        decisions = d.pop("decisions")

        fee_bps = d.pop("fee_bps")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        slippage_bps = d.pop("slippage_bps")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        segment = cls(
            config_hash=config_hash,
            decisions=decisions,
            fee_bps=fee_bps,
            from_=from_,
            slippage_bps=slippage_bps,
            to=to,
        )

        segment.additional_properties = d
        return segment

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
