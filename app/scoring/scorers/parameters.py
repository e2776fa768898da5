"""What a scoring component's parameters may be: each one's type, bounds and default, declared
once beside its component. The calculators read their defaults from it, the API and the replay
refuse what lies outside it, the alert check names a stored value outside it, and
`GET /scoring/algorithms` shows it as a JSON schema. Beside them, the one rule over the components'
weights (`weights_problem`)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.platform.core.patterns import words_for

MAX_WINDOW_H = 2160  # 90 days of hourly candles: the longest window a metric may read
MAX_METRIC_WEIGHT = 100.0
MAX_NAMES = 64  # entries of a map parameter (metric weights by name)
METRIC_WEIGHTS = "metric_weights"  # a component parameter: {metric name: weight}, 0 = off

Path = tuple[str | int, ...]


def as_json(value: Any) -> str:
    """`value` as JSON writes it (text as it was sent, non-ASCII included); a value JSON cannot
    write (never one read from a request or a JSON column) as Python shows it."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return repr(value)


@dataclass(frozen=True)
class ParameterProblem:
    """A value outside its declaration, at `path` within the component's parameters."""

    path: Path
    message: str
    value: Any

    @property
    def text(self) -> str:
        """`must be ..., not -5`: the value as JSON writes it (`null`, `"8"`, `true`), as the
        caller sent it, never as Python shows it (a long value cut short)."""
        shown = as_json(self.value)
        return f"{self.message}, not {shown if len(shown) <= 60 else shown[:57] + '...'}"

    def named(self, component: str | None = None) -> str:
        """`risk.volatility_window must be ..., not -5`: the words a refusal or an alert uses
        (`component`: where the path starts, when it is not the document's root)."""
        dotted = ".".join(str(part) for part in (*([component] if component else []), *self.path))
        return f"{dotted} {self.text}"


@dataclass(frozen=True)
class Parameter:
    """One parameter: a scalar (`integer`, `number`, `string`), a fixed-length `tuple` of
    scalars (`items`), a `list` of one scalar (`each`), or a `map` of names to one scalar."""

    name: str
    kind: str
    default: Any = None
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[int, ...] = ()
    pattern: str | None = None
    max_length: int = 40
    items: tuple[Parameter, ...] = ()
    each: Parameter | None = None
    max_items: int = 1

    def __post_init__(self) -> None:
        bounded = self.choices or (self.minimum is not None and self.maximum is not None)
        if self.kind in ("integer", "number") and not bounded:  # a refusal must say its range
            raise ValueError(f"parameter {self.name!r} ({self.kind}) needs both bounds")

    def problems(self, value: Any, path: Path) -> list[ParameterProblem]:
        """Where `value` leaves this declaration (empty: it is within it)."""
        if self.kind == "tuple":
            if not _is_list(value) or len(value) != len(self.items):
                return [ParameterProblem(path, f"must be a list of {len(self.items)}", value)]
            return [
                p for i, item in enumerate(self.items) for p in item.problems(value[i], (*path, i))
            ]
        if self.kind == "list":
            assert self.each is not None
            if not _is_list(value) or not 1 <= len(value) <= self.max_items:
                return [ParameterProblem(path, f"must be a list of 1 to {self.max_items}", value)]
            return [p for i, v in enumerate(value) for p in self.each.problems(v, (*path, i))]
        if self.kind == "map":
            assert self.each is not None
            if not isinstance(value, Mapping) or len(value) > self.max_items:
                return [
                    ParameterProblem(path, f"must be an object of at most {self.max_items}", value)
                ]
            found = []
            for key, v in value.items():
                if not isinstance(key, str) or not 1 <= len(key) <= self.max_length:
                    found.append(ParameterProblem((*path, str(key)), "is not a known name", key))
                else:
                    found += self.each.problems(v, (*path, key))
            return found
        return [] if self._scalar_fits(value) else [ParameterProblem(path, self._expected(), value)]

    def _scalar_fits(self, value: Any) -> bool:
        if self.kind == "string":
            return (
                isinstance(value, str)
                and 1 <= len(value) <= self.max_length
                and (self.pattern is None or re.fullmatch(self.pattern, value) is not None)
            )
        if self.kind == "integer":
            fits_type = type(value) is int  # bool is no integer, nor 2.0
        else:
            fits_type = type(value) in (int, float) and math.isfinite(value)
        if not fits_type:
            return False
        if self.choices:
            return value in self.choices
        low = self.minimum is None or value >= self.minimum
        return low and (self.maximum is None or value <= self.maximum)

    def _expected(self) -> str:
        if self.choices:
            return "must be " + " or ".join(str(c) for c in self.choices)
        if self.kind == "string":
            words = words_for(self.pattern)
            return f"must be a string of 1 to {self.max_length} characters" + (
                f" ({words})" if words else ""
            )
        what = "an integer" if self.kind == "integer" else "a number"
        return f"must be {what} from {self.minimum:g} to {self.maximum:g}"

    def schema(self) -> dict[str, Any]:
        """This parameter as JSON schema."""
        out: dict[str, Any] = {"description": self.description} if self.description else {}
        if self.default is not None:
            out["default"] = self.default
        if self.kind == "tuple":
            n = len(self.items)
            parts = [item.schema() for item in self.items]
            return {**out, "type": "array", "prefixItems": parts, "minItems": n, "maxItems": n}
        if self.kind in ("list", "map"):
            assert self.each is not None
            if self.kind == "list":
                bounds = {"type": "array", "items": self.each.schema(), "minItems": 1}
                return {**out, **bounds, "maxItems": self.max_items}
            return {
                **out,
                "type": "object",
                "additionalProperties": self.each.schema(),
                "maxProperties": self.max_items,
            }
        if self.kind == "string":
            extra = {"pattern": self.pattern} if self.pattern else {}
            return {**out, "type": "string", "minLength": 1, "maxLength": self.max_length, **extra}
        if self.choices:
            return {**out, "type": self.kind, "enum": list(self.choices)}
        return {**out, "type": self.kind, "minimum": self.minimum, "maximum": self.maximum}


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


def integer(name: str, default: int, low: int, high: int, description: str) -> Parameter:
    """An integer parameter within [low, high]."""
    return Parameter(name, "integer", default, description, low, high)


def number(name: str, default: float, low: float, high: float, description: str) -> Parameter:
    """A finite number within [low, high]."""
    return Parameter(name, "number", default, description, low, high)


def hours(name: str, default: int, description: str, low: int = 1) -> Parameter:
    """A window of hourly candles, up to `MAX_WINDOW_H`."""
    return integer(name, default, low, MAX_WINDOW_H, description)


COMPONENT_WEIGHT = number("weight", 0.0, 0.0, 1.0, "A component's weight in the composite.")
WEIGHT_PLACES = Decimal("0.0001")  # a stored weight's precision (`scoring_algorithm.weight`)


def weights_problem(weights: Mapping[str, Decimal | float]) -> str | None:
    """The rule a scoring configuration's active component weights follow, wherever they are
    set (`PUT /scoring/algorithms`, a replay's overrides): they sum to 1, to the 4 decimals a
    weight is stored with (so a third each, sent as floats, sums to 1). None when they do, else
    the refusal's words."""
    total = sum((Decimal(str(w)) for w in weights.values()), Decimal(0))
    if abs(total - 1) < WEIGHT_PLACES / 2:
        return None
    shown = total.quantize(WEIGHT_PLACES)
    return f"active component weights must sum to 1; they would sum to {shown}"


METRIC_WEIGHTS_PARAMETER = Parameter(
    METRIC_WEIGHTS,
    "map",
    description="Weight of each metric by name within its component (0 switches it off; a "
    "metric not named keeps its own).",
    each=number("weight", 1.0, 0.0, MAX_METRIC_WEIGHT, ""),
    max_items=MAX_NAMES,
    max_length=80,
)


@dataclass(frozen=True)
class Declaration:
    """The parameters of a component (or of a plug-in)."""

    parameters: tuple[Parameter, ...]

    @property
    def by_name(self) -> dict[str, Parameter]:
        return {p.name: p for p in self.parameters}

    def default(self, name: str) -> Any:
        """The value a calculator uses where `name` is not set."""
        return self.by_name[name].default

    def get(self, params: Mapping[str, Any], name: str) -> Any:
        """`params[name]`, or its declared default."""
        return params.get(name, self.default(name))

    def problems(self, params: Any, skip: Sequence[str] = ()) -> list[ParameterProblem]:
        """Where `params` leave the declaration: an unknown key, or a value out of bounds
        (`skip`: keys another declaration checks)."""
        if not isinstance(params, Mapping):
            return [ParameterProblem((), "must be an object", params)]
        known = self.by_name
        found = []
        for key, value in params.items():
            if key in skip:
                continue
            if key not in known:
                names = ", ".join(sorted(known))
                found.append(ParameterProblem((str(key),), f"is not a parameter ({names})", value))
            else:
                found += known[key].problems(value, (key,))
        return found

    def schema(self) -> dict[str, Any]:
        """The parameters as a JSON schema object."""
        return {
            "type": "object",
            "properties": {p.name: p.schema() for p in self.parameters},
            "additionalProperties": False,
        }


def component(*parameters: Parameter) -> Declaration:
    """A component's declaration: `parameters` and the `metric_weights` every component takes."""
    return Declaration((*parameters, METRIC_WEIGHTS_PARAMETER))
