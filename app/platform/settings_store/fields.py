"""A field read from a runtime setting: the setting is declared once, on the field that reads it
(`setting(...)`), or named there when declared on another field or beside a rule (`reads(...)`);
the settings to read and the object built from their values are derived from the fields.

One mechanism for every typed reader of the runtime settings: the decision policy's
`PolicySettings` (app/portfolio/policy/settings.py) and each service's own settings dataclass,
read in one query by `read_typed` (app/platform/settings_store/reader.py)."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from app.platform.settings_store.declaration import Bounds, RuntimeSetting, declare

SETTING = "setting"  # the field metadata holding the runtime setting a field is read from

T = TypeVar("T")


def setting(
    key: str, default: Any, description: str, bounds: Bounds | None = None
) -> dict[str, RuntimeSetting]:
    """The metadata of a field that declares, and holds, the runtime setting `key` (its value
    cast to the field's type): `field(metadata=setting("max_portfolio_symbols", 10, "…",
    between(1, 50)))`."""
    return reads(declare(key, default, description, bounds))


def reads(declared: RuntimeSetting) -> dict[str, RuntimeSetting]:
    """The metadata of a field holding a runtime setting declared elsewhere (another reader's
    field, `declared_on`, or a rule's module)."""
    return {SETTING: declared}


def declared_on(cls: type[Any], name: str) -> RuntimeSetting:
    """The runtime setting the field `name` of the dataclass `cls` holds."""
    declared = next(f for f in dataclasses.fields(cls) if f.name == name).metadata[SETTING]
    assert isinstance(declared, RuntimeSetting)
    return declared


def _nested(hint: Any) -> type[Any] | None:
    return hint if isinstance(hint, type) and dataclasses.is_dataclass(hint) else None


_FIELDS: dict[type[Any], tuple[tuple[RuntimeSetting, Any], ...]] = {}  # each class's, checked


def setting_fields(cls: type[Any]) -> tuple[tuple[RuntimeSetting, Any], ...]:
    """Every runtime setting `cls` reads with its field's type, in field order (a nested
    dataclass's in its place); TypeError on a field of another type than its setting's (an
    `integer` setting is an `int` field, a `number` a `float`, ...), checked once per class."""
    if cls not in _FIELDS:
        hints = typing.get_type_hints(cls)
        found: list[tuple[RuntimeSetting, Any]] = []
        for f in dataclasses.fields(cls):
            if SETTING in f.metadata:
                declared: RuntimeSetting = f.metadata[SETTING]
                declared.check_type(hints[f.name])
                found.append((declared, hints[f.name]))
            elif (inner := _nested(hints[f.name])) is not None:
                found.extend(setting_fields(inner))
        _FIELDS[cls] = tuple(found)
    return _FIELDS[cls]


def declared_settings(cls: type[Any]) -> tuple[RuntimeSetting, ...]:
    """Every runtime setting `cls` reads, in field order (a nested dataclass's in its place)."""
    return tuple(declared for declared, _ in setting_fields(cls))


def setting_keys(cls: type[Any]) -> tuple[str, ...]:
    """The keys of every runtime setting `cls` reads, in field order."""
    return tuple(declared.key for declared in declared_settings(cls))


def default_values(cls: type[Any]) -> dict[str, Any]:
    """The declared default of every runtime setting `cls` reads, by key."""
    return {declared.key: declared.default for declared in declared_settings(cls)}


def setting_values(settings: Any) -> dict[str, Any]:
    """The runtime setting values by key that the dataclass `settings` holds (a nested
    dataclass's too): `from_settings`' inverse."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if SETTING in f.metadata:
            values[f.metadata[SETTING].key] = value
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
            kwargs[f.name] = hint(values[f.metadata[SETTING].key])
        elif (inner := _nested(hint)) is not None:
            kwargs[f.name] = from_settings(inner, values)
        elif not _has_default(f):
            raise TypeError(f"{cls.__name__}.{f.name} is not read from a runtime setting")
    return cls(**kwargs)


def defaults_of(cls: type[T]) -> T:
    """`cls` at its settings' declared defaults."""
    return from_settings(cls, default_values(cls))
