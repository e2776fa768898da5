from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.algorithm_update import AlgorithmUpdate


T = TypeVar("T", bound="AlgorithmsUpdate")


@_attrs_define
class AlgorithmsUpdate:
    """
    Attributes:
        algorithms (list[AlgorithmUpdate]):
    """

    algorithms: list[AlgorithmUpdate]

    def to_dict(self) -> dict[str, Any]:
        algorithms = []
        for algorithms_item_data in self.algorithms:
            algorithms_item = algorithms_item_data.to_dict()
            algorithms.append(algorithms_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "algorithms": algorithms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.algorithm_update import AlgorithmUpdate  # noqa: PLC0415

        d = dict(src_dict)
        algorithms = []
        _algorithms = d.pop("algorithms")
        for algorithms_item_data in _algorithms:
            algorithms_item = AlgorithmUpdate.from_dict(algorithms_item_data)

            algorithms.append(algorithms_item)

        algorithms_update = cls(
            algorithms=algorithms,
        )

        return algorithms_update
