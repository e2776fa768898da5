from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.against_universe import AgainstUniverse
    from ..models.live_window_strategies import LiveWindowStrategies


T = TypeVar("T", bound="LiveWindow")


@_attrs_define
class LiveWindow:
    """
    Attributes:
        against_universe (AgainstUniverse | None):
        complete (bool): False when the record is shorter than the window.
        from_ (datetime.datetime):
        strategies (LiveWindowStrategies): policy, btc_hold, equal_weight, top_volume, momentum and random.
        to (datetime.datetime):
    """

    against_universe: AgainstUniverse | None
    complete: bool
    from_: datetime.datetime
    strategies: LiveWindowStrategies
    to: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.against_universe import AgainstUniverse  # noqa: PLC0415

        against_universe: dict[str, Any] | None
        if isinstance(self.against_universe, AgainstUniverse):
            against_universe = self.against_universe.to_dict()
        else:
            against_universe = self.against_universe

        complete = self.complete

        from_ = self.from_.isoformat()

        strategies = self.strategies.to_dict()

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "against_universe": against_universe,
                "complete": complete,
                "from": from_,
                "strategies": strategies,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.against_universe import AgainstUniverse  # noqa: PLC0415
        from ..models.live_window_strategies import LiveWindowStrategies  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_against_universe(data: object) -> AgainstUniverse | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                against_universe_type_0 = AgainstUniverse.from_dict(data)

                return against_universe_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgainstUniverse | None, data)

        against_universe = _parse_against_universe(d.pop("against_universe"))

        complete = d.pop("complete")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        strategies = LiveWindowStrategies.from_dict(d.pop("strategies"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        live_window = cls(
            against_universe=against_universe,
            complete=complete,
            from_=from_,
            strategies=strategies,
            to=to,
        )

        live_window.additional_properties = d
        return live_window

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
