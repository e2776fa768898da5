"""How many entries a map or list input may hold, counted before any entry is validated.

Pydantic checks a dict's `max_length` only after validating every entry, so a huge invalid map
would cost the time to validate it all and come back as a 422 listing an error per entry. These
bounds refuse it first, with one error. The request body limit (`limits.max_body_bytes`) bounds
free JSON (a signal's payload, a replay's overrides) below the top level.
"""

from __future__ import annotations

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
