from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.strategy_figures import StrategyFigures
    from ..models.what_if_baselines import WhatIfBaselines
    from ..models.what_if_config_hash import WhatIfConfigHash
    from ..models.what_if_data import WhatIfData
    from ..models.what_if_ic import WhatIfIc


T = TypeVar("T", bound="WhatIf")


@_attrs_define
class WhatIf:
    """
    Attributes:
        baselines (WhatIfBaselines):
        config_hash (WhatIfConfigHash):
        current (StrategyFigures): After costs; returns and drawdowns as fractions, None where undefined.
        data (WhatIfData):
        ic (WhatIfIc):
        proposed (StrategyFigures): After costs; returns and drawdowns as fractions, None where undefined.
    """

    baselines: WhatIfBaselines
    config_hash: WhatIfConfigHash
    current: StrategyFigures
    data: WhatIfData
    ic: WhatIfIc
    proposed: StrategyFigures
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        baselines = self.baselines.to_dict()

        config_hash = self.config_hash.to_dict()

        current = self.current.to_dict()

        data = self.data.to_dict()

        ic = self.ic.to_dict()

        proposed = self.proposed.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "baselines": baselines,
                "config_hash": config_hash,
                "current": current,
                "data": data,
                "ic": ic,
                "proposed": proposed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.strategy_figures import StrategyFigures  # noqa: PLC0415
        from ..models.what_if_baselines import WhatIfBaselines  # noqa: PLC0415
        from ..models.what_if_config_hash import WhatIfConfigHash  # noqa: PLC0415
        from ..models.what_if_data import WhatIfData  # noqa: PLC0415
        from ..models.what_if_ic import WhatIfIc  # noqa: PLC0415

        d = dict(src_dict)
        baselines = WhatIfBaselines.from_dict(d.pop("baselines"))

        config_hash = WhatIfConfigHash.from_dict(d.pop("config_hash"))

        current = StrategyFigures.from_dict(d.pop("current"))

        data = WhatIfData.from_dict(d.pop("data"))

        ic = WhatIfIc.from_dict(d.pop("ic"))

        proposed = StrategyFigures.from_dict(d.pop("proposed"))

        what_if = cls(
            baselines=baselines,
            config_hash=config_hash,
            current=current,
            data=data,
            ic=ic,
            proposed=proposed,
        )

        what_if.additional_properties = d
        return what_if

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
