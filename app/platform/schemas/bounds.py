"""How many entries a map or list input may hold, counted before any entry is validated.

Pydantic checks a dict's `max_length` only after validating every entry, so a huge invalid map
would cost the time to validate it all and come back as a 422 listing an error per entry. These
bounds refuse it first, with one error. The request body limit (`limits.max_body_bytes`) bounds
free JSON (a signal's payload, a replay's overrides) below the top level.
"""

from __future__ import annotations

import json
from typing import Any

from annotated_types import MaxLen
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

MAX_POSITIONS = 1000
"""A rebalance's `positions`, one per contract the engine holds: KuCoin lists some 500
perpetual futures, so every one of them, twice over."""
MAX_SETTINGS_CHANGED = 100
"""A configuration update's `values`: each runtime setting once (there are some 50)."""
MAX_ALGORITHMS = 50
"""An algorithms update's entries: each scoring component once (5 built in, plus plug-ins)."""
MAX_ALGORITHM_PARAMETERS = 100
"""One component's `parameters` (the built-ins have a dozen or fewer)."""
MAX_OVERRIDE_SECTIONS = 8
"""A replay's `overrides` sections: two are known (`scoring`, `policy`); a few more still get
the service's answer naming the unknown ones."""
MAX_PAYLOAD_KEYS = 100
"""A signal's `payload`, the sender's own fields: its top level."""
MAX_PAYLOAD_BYTES = 4096
"""A signal's `payload` written as compact JSON (UTF-8): a sender's notes on a signal, not a
store. A list read leaves payloads out; at this size even the single reads of a minute of one
key's writes stay small."""
MAX_PAYLOAD_DEPTH = 5
"""A signal's `payload`: objects and lists nested at most this deep (the payload itself is 1)."""


def json_within(max_bytes: int, max_depth: int) -> BeforeValidator:
    """`Annotated` metadata: free JSON of at most `max_depth` levels of objects and lists and at
    most `max_bytes` bytes written compactly, refused (one error) before its entries are
    validated."""

    def check(value: object) -> object:
        if _deeper_than(value, max_depth):
            raise PydanticCustomError(
                "too_deep",
                "should nest objects and lists at most {max_depth} deep",
                {"max_depth": max_depth},
            )
        written = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        size = len(written.encode(errors="surrogatepass"))  # a lone surrogate: refused after
        if size > max_bytes:
            raise PydanticCustomError(
                "too_large",
                "should be at most {max_bytes} bytes as compact JSON, not {actual_bytes}",
                {"max_bytes": max_bytes, "actual_bytes": size},
            )
        return value

    return BeforeValidator(check)


def _deeper_than(value: object, depth: int) -> bool:
    if not isinstance(value, dict | list):
        return False
    if depth <= 0:
        return True
    children = value.values() if isinstance(value, dict) else value
    return any(_deeper_than(child, depth - 1) for child in children)


def at_most(entries: int) -> tuple[Any, ...]:
    """`Annotated` metadata: a map or list of at most `entries` entries (`maxProperties` or
    `maxItems` in the JSON Schema), refused before its entries are validated."""

    def count(value: object) -> object:
        if isinstance(value, dict | list) and len(value) > entries:
            raise PydanticCustomError(
                "too_long",
                "should have at most {max_length} entries, not {actual_length}",
                {"max_length": entries, "actual_length": len(value)},
            )
        return value

    return MaxLen(entries), BeforeValidator(count)
