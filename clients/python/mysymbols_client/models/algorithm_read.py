from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.algorithm_read_parameters import AlgorithmReadParameters
    from ..models.algorithm_read_parameters_schema import AlgorithmReadParametersSchema


T = TypeVar("T", bound="AlgorithmRead")


@_attrs_define
class AlgorithmRead:
    """
    Attributes:
        description (None | str):
        is_active (bool):
        name (str):
        not_installed (None | str): Null when this installation can score with the component; else what it lacks and
            what to install (the learned scorer without the `learned` extra: it scores nothing here, and a change that
            weighs it is refused).
        parameters (AlgorithmReadParameters):
        parameters_outside_bounds (list[str]): Stored parameters outside `parameters_schema` (set before it was
            enforced): they still run, an alert names them, and a change that sends them again is refused.
        parameters_schema (AlgorithmReadParametersSchema): The parameters this component takes: types, bounds and
            defaults, as JSON schema (declared beside the component; a change outside them is refused).
        updated_at (datetime.datetime):
        updated_by (None | str):
        weight (float):
    """

    description: None | str
    is_active: bool
    name: str
    not_installed: None | str
    parameters: AlgorithmReadParameters
    parameters_outside_bounds: list[str]
    parameters_schema: AlgorithmReadParametersSchema
    updated_at: datetime.datetime
    updated_by: None | str
    weight: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description: None | str
        description = self.description

        is_active = self.is_active

        name = self.name

        not_installed: None | str
        not_installed = self.not_installed

        parameters = self.parameters.to_dict()

        parameters_outside_bounds = self.parameters_outside_bounds

        parameters_schema = self.parameters_schema.to_dict()

        updated_at = self.updated_at.isoformat()

        updated_by: None | str
        updated_by = self.updated_by

        weight = self.weight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "is_active": is_active,
                "name": name,
                "not_installed": not_installed,
                "parameters": parameters,
                "parameters_outside_bounds": parameters_outside_bounds,
                "parameters_schema": parameters_schema,
                "updated_at": updated_at,
                "updated_by": updated_by,
                "weight": weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.algorithm_read_parameters import AlgorithmReadParameters  # noqa: PLC0415
        from ..models.algorithm_read_parameters_schema import AlgorithmReadParametersSchema  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        is_active = d.pop("is_active")

        name = d.pop("name")

        def _parse_not_installed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        not_installed = _parse_not_installed(d.pop("not_installed"))

        parameters = AlgorithmReadParameters.from_dict(d.pop("parameters"))

        parameters_outside_bounds = cast(list[str], d.pop("parameters_outside_bounds"))

        parameters_schema = AlgorithmReadParametersSchema.from_dict(d.pop("parameters_schema"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_updated_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        updated_by = _parse_updated_by(d.pop("updated_by"))

        weight = d.pop("weight")

        algorithm_read = cls(
            description=description,
            is_active=is_active,
            name=name,
            not_installed=not_installed,
            parameters=parameters,
            parameters_outside_bounds=parameters_outside_bounds,
            parameters_schema=parameters_schema,
            updated_at=updated_at,
            updated_by=updated_by,
            weight=weight,
        )

        algorithm_read.additional_properties = d
        return algorithm_read

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
