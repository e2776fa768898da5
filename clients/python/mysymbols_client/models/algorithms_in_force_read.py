from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.algorithm_change_record import AlgorithmChangeRecord
    from ..models.algorithm_read import AlgorithmRead


T = TypeVar("T", bound="AlgorithmsInForceRead")


@_attrs_define
class AlgorithmsInForceRead:
    """
    Attributes:
        adopted_by (AlgorithmChangeRecord | None): The newest recorded change of the algorithm, with the evidence it was
            made on; null while the algorithm is the one the database was created with.
        algorithms (list[AlgorithmRead]):
        preset (None | str): The named configuration the algorithm matches (`risk_only`: the default since migration
            0024; `seed`: the seed's), or null for any other.
    """

    adopted_by: AlgorithmChangeRecord | None
    algorithms: list[AlgorithmRead]
    preset: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.algorithm_change_record import AlgorithmChangeRecord  # noqa: PLC0415

        adopted_by: dict[str, Any] | None
        if isinstance(self.adopted_by, AlgorithmChangeRecord):
            adopted_by = self.adopted_by.to_dict()
        else:
            adopted_by = self.adopted_by

        algorithms = []
        for algorithms_item_data in self.algorithms:
            algorithms_item = algorithms_item_data.to_dict()
            algorithms.append(algorithms_item)

        preset: None | str
        preset = self.preset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adopted_by": adopted_by,
                "algorithms": algorithms,
                "preset": preset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.algorithm_change_record import AlgorithmChangeRecord  # noqa: PLC0415
        from ..models.algorithm_read import AlgorithmRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_adopted_by(data: object) -> AlgorithmChangeRecord | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                adopted_by_type_0 = AlgorithmChangeRecord.from_dict(data)

                return adopted_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlgorithmChangeRecord | None, data)

        adopted_by = _parse_adopted_by(d.pop("adopted_by"))

        algorithms = []
        _algorithms = d.pop("algorithms")
        for algorithms_item_data in _algorithms:
            algorithms_item = AlgorithmRead.from_dict(algorithms_item_data)

            algorithms.append(algorithms_item)

        def _parse_preset(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        preset = _parse_preset(d.pop("preset"))

        algorithms_in_force_read = cls(
            adopted_by=adopted_by,
            algorithms=algorithms,
            preset=preset,
        )

        algorithms_in_force_read.additional_properties = d
        return algorithms_in_force_read

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
