from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.algorithm_update_name import AlgorithmUpdateName, check_algorithm_update_name
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.algorithm_update_parameters_type_0 import AlgorithmUpdateParametersType0


T = TypeVar("T", bound="AlgorithmUpdate")


@_attrs_define
class AlgorithmUpdate:
    """
    Attributes:
        name (AlgorithmUpdateName):
        is_active (bool | None | Unset):
        parameters (AlgorithmUpdateParametersType0 | None | Unset): The component's parameters, replacing the stored
            ones; within the `parameters_schema` `GET /scoring/algorithms` shows for it.
        weight (float | None | Unset): 0..1, kept to 4 decimals.
    """

    name: AlgorithmUpdateName
    is_active: bool | None | Unset = UNSET
    parameters: AlgorithmUpdateParametersType0 | None | Unset = UNSET
    weight: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.algorithm_update_parameters_type_0 import AlgorithmUpdateParametersType0  # noqa: PLC0415

        name: str = self.name

        is_active: bool | None | Unset
        if isinstance(self.is_active, Unset):
            is_active = UNSET
        else:
            is_active = self.is_active

        parameters: dict[str, Any] | None | Unset
        if isinstance(self.parameters, Unset):
            parameters = UNSET
        elif isinstance(self.parameters, AlgorithmUpdateParametersType0):
            parameters = self.parameters.to_dict()
        else:
            parameters = self.parameters

        weight: float | None | Unset
        if isinstance(self.weight, Unset):
            weight = UNSET
        else:
            weight = self.weight

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if weight is not UNSET:
            field_dict["weight"] = weight

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.algorithm_update_parameters_type_0 import AlgorithmUpdateParametersType0  # noqa: PLC0415

        d = dict(src_dict)
        name = check_algorithm_update_name(d.pop("name"))

        def _parse_is_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_active = _parse_is_active(d.pop("is_active", UNSET))

        def _parse_parameters(data: object) -> AlgorithmUpdateParametersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parameters_type_0 = AlgorithmUpdateParametersType0.from_dict(data)

                return parameters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlgorithmUpdateParametersType0 | None | Unset, data)

        parameters = _parse_parameters(d.pop("parameters", UNSET))

        def _parse_weight(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        weight = _parse_weight(d.pop("weight", UNSET))

        algorithm_update = cls(
            name=name,
            is_active=is_active,
            parameters=parameters,
            weight=weight,
        )

        return algorithm_update
