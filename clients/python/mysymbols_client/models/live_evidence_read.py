from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.as_run_record import AsRunRecord
    from ..models.forward_record_read import ForwardRecordRead
    from ..models.market_data_read import MarketDataRead


T = TypeVar("T", bound="LiveEvidenceRead")


@_attrs_define
class LiveEvidenceRead:
    """
    Attributes:
        as_run (AsRunRecord | None): The as-run record: the real portfolio's decisions, each with its actor (an API
            key's name, `scheduler`, `autopilot`) and reason; null before its first.
        forward (ForwardRecordRead | None): The forward record: the automated policy's shadow book, every registered
            challenger's and the baselines', marked hourly from deployment on; null before the `forward_record` job first
            ran.
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
    """

    as_run: AsRunRecord | None
    forward: ForwardRecordRead | None
    market_data: MarketDataRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.as_run_record import AsRunRecord  # noqa: PLC0415
        from ..models.forward_record_read import ForwardRecordRead  # noqa: PLC0415
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        as_run: dict[str, Any] | None
        if isinstance(self.as_run, AsRunRecord):
            as_run = self.as_run.to_dict()
        else:
            as_run = self.as_run

        forward: dict[str, Any] | None
        if isinstance(self.forward, ForwardRecordRead):
            forward = self.forward.to_dict()
        else:
            forward = self.forward

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
                "as_run": as_run,
                "forward": forward,
            }
        )
        if market_data is not UNSET:
            field_dict["market_data"] = market_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.as_run_record import AsRunRecord  # noqa: PLC0415
        from ..models.forward_record_read import ForwardRecordRead  # noqa: PLC0415
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_as_run(data: object) -> AsRunRecord | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                as_run_type_0 = AsRunRecord.from_dict(data)

                return as_run_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AsRunRecord | None, data)

        as_run = _parse_as_run(d.pop("as_run"))

        def _parse_forward(data: object) -> ForwardRecordRead | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                forward_type_0 = ForwardRecordRead.from_dict(data)

                return forward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ForwardRecordRead | None, data)

        forward = _parse_forward(d.pop("forward"))

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

        live_evidence_read = cls(
            as_run=as_run,
            forward=forward,
            market_data=market_data,
        )

        live_evidence_read.additional_properties = d
        return live_evidence_read

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
