"""Contracts for the scoring algorithm: its components as stored, the registered presets, a
change of weights and parameters (within the bounds each component declares)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    computed_field,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.schemas.bounds import MAX_ALGORITHM_PARAMETERS, MAX_ALGORITHMS, at_most
from app.schemas.common import DecimalNumber, RequestBody, UnitFraction
from app.schemas.recorded import recorded_example
from app.scoring.scorers.component_registry import components, parameter_problems, parameters_schema
from app.scoring.scorers.parameters import ParameterProblem


def parameter_errors(
    model: str, problems: Sequence[ParameterProblem], at: tuple[str | int, ...]
) -> ValidationError:
    """`problems` as the validation error of `model`, each located at `at` + its path (the
    422 names e.g. `algorithms.0.parameters.volatility_window`)."""
    return ValidationError.from_exception_data(
        model,
        [
            InitErrorDetails(
                type=PydanticCustomError("parameter_bounds", p.text),
                loc=(*at, *p.path),
                input=p.value,
            )
            for p in problems
        ],
    )


class AlgorithmRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("AlgorithmRead")
    )

    name: str
    weight: DecimalNumber
    parameters: dict[str, Any]
    is_active: bool
    description: str | None
    updated_at: datetime
    updated_by: str | None

    @computed_field(  # type: ignore[prop-decorator]
        description="The parameters this component takes: types, bounds and defaults, as JSON "
        "schema (declared beside the component; a change outside them is refused)."
    )
    @property
    def parameters_schema(self) -> dict[str, Any]:
        return parameters_schema(self.name)

    @computed_field(  # type: ignore[prop-decorator]
        description="Stored parameters outside `parameters_schema` (set before it was "
        "enforced): they still run, an alert names them, and a change that sends them again "
        "is refused."
    )
    @property
    def parameters_outside_bounds(self) -> list[str]:
        return [p.named(self.name) for p in parameter_problems(self.name, self.parameters)]


def _known_components(schema: dict[str, Any]) -> None:
    schema["enum"] = list(components())  # the built-ins and the registered plug-ins'


class PresetRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("PresetRead"))

    name: str
    candidate: str = Field(description="Its letter in the registered family (README, Scoring).")
    label: str
    weights: dict[str, float] = Field(description="Component weights, summing to 1.")
    technical_version: int
    is_default: bool = Field(description="The configuration new databases start with.")


class AlgorithmUpdate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40, json_schema_extra=_known_components)
    weight: UnitFraction | None = Field(default=None, description="0..1, kept to 4 decimals.")
    parameters: Annotated[dict[str, Any], *at_most(MAX_ALGORITHM_PARAMETERS)] | None = Field(
        default=None,
        description="The component's parameters, replacing the stored ones; within the "
        "`parameters_schema` `GET /scoring/algorithms` shows for it.",
    )
    is_active: bool | None = None

    @model_validator(mode="wrap")
    @classmethod
    def parameters_within_bounds(
        cls, data: Any, handler: ModelWrapValidatorHandler[AlgorithmUpdate]
    ) -> AlgorithmUpdate:
        update = handler(data)
        if update.parameters is not None and update.name in components():
            problems = parameter_problems(update.name, update.parameters)
            if problems:
                raise parameter_errors(cls.__name__, problems, ("parameters",))
        return update


class AlgorithmsUpdate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "algorithms": [
                        {"name": "technical", "weight": 0.35},
                        {"name": "risk", "weight": 0.15},
                    ]
                }
            ]
        },
    )

    algorithms: Annotated[list[AlgorithmUpdate], *at_most(MAX_ALGORITHMS)] = Field(min_length=1)
