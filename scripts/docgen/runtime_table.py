"""Every runtime setting of the registry (`app/configuration/registry.py`), as one
Markdown table in the registry's order: key, default, type, bounds or choices, meaning."""

from __future__ import annotations

from typing import Any

from app.configuration.registry import RUNTIME_SETTINGS, RuntimeSetting
from scripts.docgen.cells import cell


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value) if value else "none"
    return f"`{value}`"


def _bounds(setting: RuntimeSetting) -> str:
    if setting.choices is not None:
        prefix = "any of " if setting.type == "array" else "one of "
        return prefix + ", ".join(f"`{c}`" for c in setting.choices)
    low, high = setting.minimum, setting.maximum
    if low is None and high is None:
        return ""
    shown = [_plain(b) for b in (low, high) if b is not None]
    return " to ".join(shown)


def _plain(bound: float) -> str:
    return f"{int(bound):,}".replace(",", " ") if bound == int(bound) else str(bound)


def markdown() -> str:
    rows = [
        "| key | default | type | bounds or choices | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in RUNTIME_SETTINGS:
        meaning = cell(s.description)
        rows.append(f"| `{s.key}` | {_value(s.default)} | {s.type} | {_bounds(s)} | {meaning} |")
    return "\n".join(rows) + "\n"
