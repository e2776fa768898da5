from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.algorithm_read import AlgorithmRead
    from ..models.what_if import WhatIf


T = TypeVar("T", bound="AlgorithmsChangeRead")


@_attrs_define
class AlgorithmsChangeRead:
    """
    Attributes:
        algorithms (list[AlgorithmRead]): As they are, or would be.
        applied (bool): False for a dry run: nothing was changed.
        change_id (int | None): The recorded change (when applied).
        evidence (None | WhatIf): The proposed and current configurations replayed over the newest stored history (up to
            90 days, daily, 6 bps fees) beside the baselines.
        evidence_unavailable (None | str): Why there is no evidence, if not.
    """

    algorithms: list[AlgorithmRead]
    applied: bool
    change_id: int | None
    evidence: None | WhatIf
    evidence_unavailable: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.what_if import WhatIf  # noqa: PLC0415

        algorithms = []
        for algorithms_item_data in self.algorithms:
            algorithms_item = algorithms_item_data.to_dict()
            algorithms.append(algorithms_item)

        applied = self.applied

        change_id: int | None
        change_id = self.change_id

        evidence: dict[str, Any] | None
        if isinstance(self.evidence, WhatIf):
            evidence = self.evidence.to_dict()
        else:
            evidence = self.evidence

        evidence_unavailable: None | str
        evidence_unavailable = self.evidence_unavailable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "algorithms": algorithms,
                "applied": applied,
                "change_id": change_id,
                "evidence": evidence,
                "evidence_unavailable": evidence_unavailable,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.algorithm_read import AlgorithmRead  # noqa: PLC0415
        from ..models.what_if import WhatIf  # noqa: PLC0415

        d = dict(src_dict)
        algorithms = []
        _algorithms = d.pop("algorithms")
        for algorithms_item_data in _algorithms:
            algorithms_item = AlgorithmRead.from_dict(algorithms_item_data)

            algorithms.append(algorithms_item)

        applied = d.pop("applied")

        def _parse_change_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        change_id = _parse_change_id(d.pop("change_id"))

        def _parse_evidence(data: object) -> None | WhatIf:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                evidence_type_0 = WhatIf.from_dict(data)

                return evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | WhatIf, data)

        evidence = _parse_evidence(d.pop("evidence"))

        def _parse_evidence_unavailable(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        evidence_unavailable = _parse_evidence_unavailable(d.pop("evidence_unavailable"))

        algorithms_change_read = cls(
            algorithms=algorithms,
            applied=applied,
            change_id=change_id,
            evidence=evidence,
            evidence_unavailable=evidence_unavailable,
        )

        algorithms_change_read.additional_properties = d
        return algorithms_change_read

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
