"""JSON documents serialized before they reach the database: a replay's report is serialized in
the worker process that computed it, so the event loop neither serializes nor unpickles a
multi-megabyte document (a year of hourly decisions is ~9 MB of JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


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
