"""JSON documents serialized before they reach the database: a replay's report is serialized in
the worker process that computed it, so the event loop neither serializes nor unpickles a
multi-megabyte document (a year of hourly decisions is ~9 MB of JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True)
class SerializedJSON:
    """A document's JSON text, stored as it is by a JSON column (`serialize`)."""

    text: str

    @classmethod
    def of(cls, document: Any) -> SerializedJSON:
        return cls(serialize(document))


def serialize(value: Any) -> str:
    """Every engine's JSON serializer: `json.dumps`, as SQLAlchemy's default, except that a
    `SerializedJSON` is its text already."""
    if isinstance(value, SerializedJSON):
        return value.text
    return json.dumps(value)


def serialized_fast(document: Mapping[str, Any], members: Iterable[str]) -> SerializedJSON:
    """`SerializedJSON.of(document)` with its `members` written by orjson (some tens of times
    faster). Only for members made of strings, ints within 64 bits, bools, None, and lists and
    string-keyed dicts of them, which both write alike for `json.loads`: orjson writes NaN as
    null and refuses larger ints, so any float or such int stays with `json.dumps`."""
    fast = set(members)
    parts = [
        f"{json.dumps(key)}: "
        + (orjson.dumps(value).decode() if key in fast else json.dumps(value))
        for key, value in document.items()
    ]
    return SerializedJSON("{" + ", ".join(parts) + "}")
