"""A runtime setting as code declares it: its key, default, meaning, type and bounds. The default
is the value in force until an operator stores another; the configuration API validates a change
and lists the setting by the bounds declared here. Pure: the policy's and the scorers' settings
declare theirs on their fields (`app.platform.settings_store.fields`)."""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass
from typing import Any, Literal

SettingType = Literal["integer", "number", "string", "boolean", "array"]
DAY = 86_400
YEAR = 365 * DAY


@dataclass(frozen=True)
class Bounds:
    """What a value may be: its type (None: the default's) and inclusive range or choices."""

    type: SettingType | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None


def between(minimum: float, maximum: float, type: SettingType | None = None) -> Bounds:
    return Bounds(type, minimum, maximum)


def one_of(*choices: str) -> Bounds:
    return Bounds("string", choices=choices)


def some_of(*choices: str) -> Bounds:
    """A list of distinct strings, each one of `choices` (stored in the order of `choices`)."""
    return Bounds("array", choices=choices)


INTERVAL = between(60, YEAR)  # a job's period, seconds
RETENTION = between(1, 3650)  # days


@dataclass(frozen=True)
class RuntimeSetting:
    key: str
    default: Any
    description: str
    type: SettingType
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None

    def check(self, value: Any) -> Any:
        """`value` as stored (an integer as int, a number as float), or ValueError saying why."""
        if self.type == "boolean":
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
        if self.type == "array":
            return self._checked_list(value)
        if self.type == "string":
            if not isinstance(value, str):
                raise ValueError("must be a string")
            if self.choices is not None and value not in self.choices:
                raise ValueError(f"must be one of {', '.join(self.choices)}")
            return value
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or not math.isfinite(value):
            raise ValueError(f"must be {'an integer' if self.type == 'integer' else 'a number'}")
        if self.type == "integer":
            if value != int(value):
                raise ValueError("must be an integer")
            value = int(value)
        else:
            value = float(value)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {_plain(self.minimum)}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {_plain(self.maximum)}")
        return value

    def _checked_list(self, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        if len(set(value)) != len(value):
            raise ValueError("must not name a value twice")
        choices = self.choices or ()
        unknown = [v for v in value if v not in choices]
        if unknown:
            shown = json.dumps(unknown[0], ensure_ascii=False)  # as sent, not as Python shows it
            raise ValueError(f"{shown} is not one of {', '.join(choices)}")
        return [c for c in choices if c in value]

    def check_type(self, kind: Any) -> None:
        """TypeError unless `kind` (a type, or a generic alias such as `tuple[str, ...]`) is
        this setting's Python type."""
        expected = PYTHON_TYPES[self.type]
        if (typing.get_origin(kind) or kind) not in expected:
            raise TypeError(f"{self.key} is {self.type}: read it as {expected[0].__name__}")


# The Python types of each setting type: a field reading a setting is of its setting's type (an
# `integer` may widen to a float, as a duration in seconds does; an `array` is a tuple or a list
# of strings).
PYTHON_TYPES: dict[SettingType, tuple[type[Any], ...]] = {
    "integer": (int, float),
    "number": (float,),
    "string": (str,),
    "boolean": (bool,),
    "array": (tuple, list),
}


def _plain(bound: float) -> str:
    return str(int(bound)) if bound == int(bound) else str(bound)


def _type_of(default: Any) -> SettingType:
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, list | tuple):
        return "array"
    if isinstance(default, int):
        return "integer"
    return "number" if isinstance(default, float) else "string"


def declare(
    key: str, default: Any, description: str, bounds: Bounds | None = None
) -> RuntimeSetting:
    """The runtime setting `key`: its type is the bounds' or, without one, the default's (an
    array's default is stored as a list)."""
    bounds = bounds or Bounds()
    kind = bounds.type or _type_of(default)
    stored = list(default) if kind == "array" else default
    return RuntimeSetting(
        key, stored, description, kind, bounds.minimum, bounds.maximum, bounds.choices
    )
