"""A field read from a runtime setting: the registry key is named once, on the field, and the keys
to read and the object built from their values are derived from the fields.

One mechanism for every typed reader of the runtime settings: the decision policy's
`PolicySettings` (app/portfolio/policy/settings.py) and each service's own settings dataclass,
read in one query by `read_typed` (app/settings/registry.py), which checks each field's type
against the registry's (an `integer` setting is an `int` field, a `number` a `float`, ...)."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

SETTING = "setting"  # the field metadata naming the runtime setting a field is read from

T = TypeVar("T")


def setting(key: str) -> dict[str, str]:
    """The metadata of a field holding the runtime setting `key` (its value cast to the field's
    type): `field(metadata=setting("max_portfolio_symbols"))`."""
    return {SETTING: key}


def _nested(hint: Any) -> type[Any] | None:
    return hint if isinstance(hint, type) and dataclasses.is_dataclass(hint) else None


def setting_fields(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """Every runtime setting `cls` reads with its field's type, in field order (a nested
    dataclass's in its place)."""
    hints = typing.get_type_hints(cls)
    found: list[tuple[str, Any]] = []
    for f in dataclasses.fields(cls):
        if SETTING in f.metadata:
            found.append((f.metadata[SETTING], hints[f.name]))
        elif (inner := _nested(hints[f.name])) is not None:
            found.extend(setting_fields(inner))
    return tuple(found)


def setting_keys(cls: type[Any]) -> tuple[str, ...]:
    """Every runtime setting `cls` reads, in field order (a nested dataclass's in its place)."""
    return tuple(key for key, _ in setting_fields(cls))


def setting_values(settings: Any) -> dict[str, Any]:
    """The runtime setting values by key that the dataclass `settings` holds (a nested
    dataclass's too): `from_settings`' inverse."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if SETTING in f.metadata:
            values[f.metadata[SETTING]] = value
        elif dataclasses.is_dataclass(value):
            values.update(setting_values(value))
    return values


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def from_settings(cls: type[T], values: Mapping[str, Any]) -> T:
    """`cls` built from runtime setting values by key: each field a setting, or a dataclass
    whose fields are, or one with a default, which it keeps (the gate's `freshness`)."""
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        hint = hints[f.name]
        if SETTING in f.metadata:
            kwargs[f.name] = hint(values[f.metadata[SETTING]])
        elif (inner := _nested(hint)) is not None:
            kwargs[f.name] = from_settings(inner, values)
        elif not _has_default(f):
            raise TypeError(f"{cls.__name__}.{f.name} is not read from a runtime setting")
    return cls(**kwargs)
